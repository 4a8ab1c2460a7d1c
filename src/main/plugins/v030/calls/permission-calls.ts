// The `permissions`, `permission-nodes` and `providers` interfaces (§3.18–§3.20).
import type { PermissionSnapshot } from '../../../../shared/contract/generated/0.3.0/interfaces/infrarust-plugin-permissions.js';
import { type Bans, hostErr, ok } from '../contract-030';
import { type CallKit, type Handlers } from './call-kit';

export function permissionCalls(k: CallKit): Handlers {
  const { ctx, pluginId, quota, denied } = k;
  return {
    'permissions.setSnapshot': (player: bigint, snapshot: PermissionSnapshot) => denied('permission-provider') ?? ctx.providers.permissions.setSnapshot(pluginId, player, snapshot),
    'permissions.release': (player: bigint) => denied('permission-provider') ?? ctx.providers.permissions.release(player),

    'permission-nodes.register': (node: { name: string; description: string; default: 'false' | 'true' | 'admin' }) => {
      const name = String(node.name).trim().toLowerCase();
      if (!name.startsWith(`${pluginId}.`) || name.length === pluginId.length + 1) return hostErr('invalid-argument', `a node of this plugin is named "${pluginId}.<something>", not "${node.name}"`);
      const held = ctx.registries.nodes.get(name);
      if (held && held.pluginId !== pluginId) return hostErr('conflict', `node "${name}" belongs to ${held.pluginId}`);
      if (!held && ctx.registries.nodeCount(pluginId) >= quota().permissionNodes) return hostErr('limit-exceeded', `at most ${quota().permissionNodes} permission nodes`);
      ctx.registries.nodes.set(name, { node: { ...node, name }, pluginId });
      ctx.providers.permissions.defaultsChanged();
      return ok(undefined);
    },
    'permission-nodes.get': (name: string) => {
      const n = ctx.registries.nodes.get(String(name).trim().toLowerCase());
      return n && { node: n.node, pluginId: n.pluginId };
    },
    'permission-nodes.list': () =>
      [...ctx.registries.nodes.values()].sort((a, b) => a.node.name.localeCompare(b.node.name)).map((n) => ({ node: n.node, pluginId: n.pluginId })),

    'providers.registerBanProvider': (features: Bans.BanFeatures) => denied('ban-provider') ?? ctx.providers.bans.register(pluginId, features),
    'providers.registerPermissionProvider': () => denied('permission-provider') ?? ctx.providers.permissions.register(pluginId),
  };
}
