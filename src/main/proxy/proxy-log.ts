export type ProxyLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the proxy writes its log lines; the host decides where they go. */
export type ProxyLog = (level: ProxyLogLevel, msg: string) => void;
