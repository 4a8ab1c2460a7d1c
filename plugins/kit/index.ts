// The TypeScript plugin kit, for infrarust:plugin@0.3.0 (what Infrarust's own SDK targets):
// `import { definePlugin, on, command, every, text, preLogin } from '../kit'`.
// For the 0.2.3 contract import from '../kit/v023' instead (same helpers, 0.2.3 shapes).
// Host interfaces without a helper here are imported directly, e.g.
// `import { count } from 'infrarust:plugin/players@0.3.0'` (types in bindings/0.3.0/); their host-error
// results arrive as thrown errors (`errorMessage`/`hostErrorOf` read them).
export { definePlugin, type PluginDefinition, type PluginExports, type EnableContext, type EnableReason, type DisableReason, type RecoveryInfo } from './plugin';
export { on, type EventKind, type EventPayload, type EventHandler, type DecisionKind, type Answer } from './events';
export { command, type CommandHandler, type CommandOptions, type CommandInvocation, type CommandSender, type RegisteredCommand, type Suggestion } from './commands';
export { every, after } from './tasks';
export { text, join, plainText, asComponent, ArenaError } from './text';
export { part, type Color, type Style, type TextPart } from './style';
export {
  preLogin, chooseInitialServer, serverPreConnect, kickedFromServer, chatMessage, commandExecute, connectionHandshake,
  login, preTransfer, pluginMessage, permissionsSetup, rawPacket,
} from './outcomes';
export { setting } from './settings';
export { readDataFile, writeDataFile, dataFileVersion } from './data-files';
export { errorMessage, hostErrorOf, hostCall, HostCallError } from './errors';
export { codecFilter, filterOutput, type PacketFilter, type CodecFilterOptions, type FilterPriority } from './codec';
export { limbo, limboResult, timeoutOutcome, type LimboHandler, type LimboSession, type LimboSessionHandle, type HandlerResult } from './limbo';
export { banProvider, type BanProvider, type BanFeatures } from './ban-provider';
export { permissionProvider, type PermissionProvider } from './permission-provider';
