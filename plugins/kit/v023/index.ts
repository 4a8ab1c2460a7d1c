// The TypeScript plugin kit for the 0.2.3 contract, on request:
// `import { definePlugin, on, command, every, text, preLogin } from '../kit/v023'`. (`../kit` is 0.3.0.)
// Host interfaces without a helper here are imported directly, e.g.
// `import { onlineCount } from 'infrarust:plugin/player-registry@0.2.3'` (types in bindings/0.2.3/).
export { definePlugin, type PluginDefinition, type PluginExports } from './plugin';
export { on, type EventKind, type EventPayload, type EventHandler, type DecisionKind, type Answer } from './events';
export { command, type CommandHandler, type CommandOptions } from './commands';
export { every, after } from './tasks';
export { text, join, plainText } from './text';
export { part, type Color, type Style, type TextPart } from '../style';
export { preLogin, chooseInitialServer, serverPreConnect, kickedFromServer, chatMessage, rawPacket } from './outcomes';
export { setting } from './settings';
export { readDataFile, writeDataFile, dataFileVersion } from '../data-files';
export { errorMessage } from '../errors';
export { codecFilter, filterOutput, type PacketFilter, type CodecFilterOptions } from './codec';
export { limbo, limboResult, type LimboHandler, type LimboSession, type LimboSessionHandle, type HandlerResult } from './limbo';
