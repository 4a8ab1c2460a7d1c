// Routes edited from the panel: one servers/<id>.toml per change, written atomically (comments kept when the
// file exists), then re-read at once so the proxy routes with it before the answer goes back.
import { lstat, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { routeProblems, type RouteProblem, type RouteSettings } from '../../shared/route-rules';
import { updateConfigFile } from '../config/config-file';
import { formatAddress } from '../proxy/backend-connect';
import type { ProxyServers } from '../proxy/proxy';
import { editServerFileText, newServerFileText, parseServerText, serverFieldsOf } from '../proxy/server-file-edit';

export class RouteError extends Error {
  constructor(
    message: string,
    readonly problems: RouteProblem[] = [],
  ) {
    super(message);
  }
}

export class ServerRoutes {
  /** `dir` is the folder the proxy's registry watches (servers_dir as the proxy was started with). */
  constructor(
    private readonly dir: string,
    private readonly servers: ProxyServers,
  ) {}

  /** What the route form edits: the file as it is now (hand edits included), or, while it is broken, its last good version. */
  async settings(id: string): Promise<RouteSettings | null> {
    const server = this.servers.get(id);
    if (!server) return null;
    const text = await readFile(server.file, 'utf8').catch(() => null);
    try {
      if (text !== null) return { id, ...serverFieldsOf(parseServerText(text)) };
    } catch {
      // falls through to the version that still routes
    }
    return {
      id,
      domains: server.domains,
      addresses: server.addresses.map(formatAddress),
      motd: server.motd?.text ?? '',
      maxPlayers: server.maxPlayers,
      disconnectMessage: server.disconnectMessage ?? '',
      proxyMode: server.proxyMode,
      forwarding: server.forwarding,
      forwardingSecret: server.forwardingSecret ?? '',
    };
  }

  /** Validates (domain syntax, host:port, domains other servers route), writes one file, re-reads the folder. */
  async save(route: RouteSettings, create: boolean): Promise<void> {
    const problems = routeProblems(route, this.servers.list(), create);
    if (problems.length > 0) throw new RouteError(problems.map((p) => p.message).join('; '), problems);
    const file = create ? join(this.dir, `${route.id}.toml`) : this.knownFile(route.id);
    const exists = await isFile(file);
    if (create && exists) throw new RouteError(`${file} already exists`, [{ field: 'id', message: `a file named ${route.id}.toml already exists` }]);
    if (!create && !exists) throw new RouteError(`${file} no longer exists`);
    const { id: _id, ...fields } = route;
    await updateConfigFile(file, (text) => {
      if (create && text !== '') throw new RouteError(`${file} already exists`);
      return create ? newServerFileText(fields) : editServerFileText(text, fields);
    });
    await this.servers.reload();
  }

  async remove(id: string): Promise<void> {
    const file = this.knownFile(id);
    if (!(await isFile(file))) throw new RouteError(`${file} does not exist`);
    await unlink(file);
    await this.servers.reload();
  }

  /** Only files the registry listed itself are edited or removed: an id from a call never becomes a path of its own. */
  private knownFile(id: string): string {
    const file = this.servers.get(id)?.file ?? this.servers.problems().find((p) => p.serverId === id)?.file;
    if (!file) throw new RouteError(`no server with id "${id}"`);
    return file;
  }
}

function isFile(path: string): Promise<boolean> {
  return lstat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
