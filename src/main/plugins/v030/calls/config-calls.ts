// What a plugin reads of the proxy: `config-service`, `load-balancer`, `proxy-info`, `plugin-registry`
// (§3.9, §3.14, §3.16, §3.17).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyConfigDocument, DocumentRefused, effectiveConfigDocument, proxyConfigDocument, serverDocument } from '../../../config/config-document';
import { updateConfigFile } from '../../../config/config-file';
import { CONFIG_FILE_NAME, configWarnings } from '../../../config/load-config';
import { hostErr, type HostResult, ok, type ProxyInfo } from '../contract-030';
import { socketAddressFrom } from '../values';
import { type CallKit, type Handlers } from './call-kit';

const HOST_VERSION = '0.1.0';

const readOrNull = (file: string) => readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));

export function configCalls(k: CallKit): Handlers {
  const { ctx, services, pluginId, denied, onServer, serverConfigs } = k;
  const configFile = () => ctx.config().file ?? join(ctx.config().baseDir, CONFIG_FILE_NAME);
  /** Reads infrarust.toml as it is now and answers a redacted document of it (config-document.ts). */
  const document = async (render: (text: string | null, id: string) => string): Promise<HostResult<string>> => {
    const refused = denied('config-read');
    if (refused) return refused;
    try {
      return ok(render(await readOrNull(configFile()), pluginId));
    } catch (err) {
      return hostErr('unavailable', `infrarust.toml cannot be read: ${(err as Error).message}`);
    }
  };
  const write = async (doc: string): Promise<HostResult<undefined>> => {
    const refused = denied('config-read') ?? denied('config-write');
    if (refused) return refused;
    const file = configFile();
    try {
      // Computed again on top of a hand save that lands meanwhile; the watcher then hot-reloads the file.
      await updateConfigFile(file, (text) => {
        const next = applyConfigDocument(text, String(doc), pluginId);
        const problems = configWarnings(next.data, file, ctx.config().baseDir);
        if (problems.length > 0) throw new DocumentRefused('invalid-argument', problems.map((w) => w.message).join('; '));
        return next.text;
      });
      return ok(undefined);
    } catch (err) {
      if (err instanceof DocumentRefused) return hostErr(err.kind, err.message);
      return hostErr('unavailable', `infrarust.toml was not written: ${(err as Error).message}`);
    }
  };
  return {
    'config-service.getValue': (key: string) => denied('config-read') ?? ok(services.configValue(pluginId, String(key))),
    'config-service.getServer': (server: string) => denied('config-read') ?? ok(serverConfigs().find((c) => c.id === server)),
    'config-service.getServerByDomain': (domain: string) =>
      denied('config-read') ?? ok(serverConfigs().find((c) => c.domains.some((d) => d.toLowerCase() === String(domain).toLowerCase()))),
    'config-service.listServers': () => denied('config-read') ?? ok(serverConfigs()),
    'config-service.getServerDocument': async (server: string) => {
      const refused = denied('config-read');
      if (refused) return refused;
      const file = services.servers.fileOf(String(server));
      if (!file) return ok(undefined);
      try {
        const text = await readOrNull(file);
        return ok(text === null ? undefined : serverDocument(text));
      } catch (err) {
        return hostErr('unavailable', `the server file cannot be read: ${(err as Error).message}`);
      }
    },
    'config-service.listServerSources': () => denied('config-read') ?? ok([{ id: 'file', providerId: 'file', providerType: 'file', editable: true }]),
    'config-service.getProxyConfigDocument': () => document(proxyConfigDocument),
    'config-service.getEffectiveProxyConfigDocument': () => document(effectiveConfigDocument),
    'config-service.writeProxyConfigDocument': (doc: string) => write(doc),

    'load-balancer.strategy': (server: string) => {
      const refused = denied('config-read');
      if (refused) return refused;
      return serverConfigs().some((c) => c.id === server) ? ok('ordered') : hostErr('not-found', `no server "${server}"`);
    },
    'load-balancer.backends': (server: string) => {
      const refused = denied('config-read');
      if (refused) return refused;
      const config = serverConfigs().find((c) => c.id === server);
      if (!config) return hostErr('not-found', `no server "${server}"`);
      const state = services.servers.states().find(([id]) => id === server)?.[1];
      return ok(
        config.addresses.map((address) => ({
          address,
          weight: 1,
          effectiveWeight: 1,
          state: state === 'offline' || state === 'crashed' ? 'unhealthy' : 'healthy',
          activeConnections: BigInt(onServer(server).length),
          ejections: 0,
        })),
      );
    },
    'load-balancer.setDrained': () => denied('server-manage') ?? hostErr('unsupported', 'this proxy connects to a server\'s addresses in order and cannot drain one'),
    'load-balancer.resetBackend': () => denied('server-manage') ?? hostErr('unsupported', 'this proxy keeps no per-backend health to reset'),

    'proxy-info.details': (): ProxyInfo.ProxyDetails => {
      const p = ctx.config().proxy;
      return {
        version: `infrarust-desktop ${HOST_VERSION}`,
        bind: socketAddressFrom(p.bind),
        maxConnections: p.maxConnections,
        connectTimeoutMs: BigInt(p.connectTimeoutMs),
        receiveProxyProtocol: false,
        workerThreads: 1,
        soReuseport: false,
        rateLimit: { maxConnections: 0, windowMs: 0n, statusMax: 0, statusWindowMs: 0n },
        statusCache: { ttlMs: 0n, maxEntries: 0n },
        keepalive: { timeMs: 0n, intervalMs: 0n, retries: 0 },
        telemetryEnabled: false,
        dockerEnabled: false,
        webApiEnabled: false,
        webUiEnabled: true,
        unknownDomainBehavior: p.unknownDomainBehavior === 'drop' ? 'drop' : 'default-motd',
      };
    },
    'proxy-info.grantedCapabilities': () => [...ctx.granted],

    'plugin-registry.list': () => ctx.plugins(),
    'plugin-registry.get': (id: string) => ctx.plugins().find((p) => p.id === id),
  };
}
