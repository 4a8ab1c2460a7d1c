/** The plugin contract this host implements (`infrarust:plugin@0.2.3`). */
export const CONTRACT_PACKAGE = 'infrarust:plugin';
export const CONTRACT_VERSION = '0.2.3';
