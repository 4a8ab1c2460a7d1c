// The TypeScript plugin kit: `import { definePlugin, on, command, every, text, preLogin } from '../kit'`.
// Host interfaces without a helper here are imported directly, e.g.
// `import { onlineCount } from 'infrarust:plugin/player-registry@0.2.3'` (types in bindings/).
export { definePlugin, type PluginDefinition, type PluginExports } from './plugin';
export { on, type EventKind, type EventPayload, type EventHandler, type DecisionKind, type Answer } from './events';
export { command, type CommandHandler, type CommandOptions } from './commands';
export { every, after } from './tasks';
export { text, join, part, plainText, type Color, type Style, type TextPart } from './text';
export { preLogin, chooseInitialServer, serverPreConnect, kickedFromServer, chatMessage, rawPacket } from './outcomes';
export { setting } from './settings';
export { readDataFile, writeDataFile, dataFileVersion } from './data-files';
export { errorMessage } from './errors';
export { codecFilter, filterOutput, type PacketFilter, type CodecFilterOptions } from './codec';
export { limbo, limboResult, type LimboHandler, type LimboSession, type LimboSessionHandle, type HandlerResult } from './limbo';
