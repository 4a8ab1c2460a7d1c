// One WebSocket client of the headless panel: calls in, answers and events out. A peer that breaks the
// protocol (invalid UTF-8, an oversized or unmasked frame, reserved bits, garbage) loses its own connection
// — ws closes it with the matching code — and the failure is logged once; nothing else notices.
import type { RawData, WebSocket } from 'ws';
import type { ControlEvent, WsServerMessage } from '../../shared/control-api';
import { checkCall, dispatch } from './call-validation';
import type { ControlService } from './control-service';

/** A client this far behind stops getting log lines (its other events still go out). */
const LOG_BACKLOG_BYTES = 4 * 1024 * 1024;
/** A client this far behind is not reading at all: it is dropped rather than buffered without end. */
const MAX_BACKLOG_BYTES = 32 * 1024 * 1024;
/** After a protocol error ws has sent its close frame; a peer that does not answer it is cut off after this. */
const CLOSE_GRACE_MS = 1000;

export type PanelLog = (level: 'info' | 'warn', message: string) => void;

export function serveClient(ws: WebSocket, control: ControlService, peer: string, log: PanelLog): void {
  let failed = false;
  ws.on('error', (err: Error & { code?: string }) => {
    if (failed) return;
    failed = true;
    log('warn', `panel: closed the connection of ${peer}: ${err.message}${err.code ? ` (${err.code})` : ''}`);
    cutOffLater(ws);
  });
  const send = (msg: WsServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BACKLOG_BYTES) {
      log('warn', `panel: closed the connection of ${peer}: it stopped reading (${ws.bufferedAmount} bytes waiting)`);
      return void ws.terminate();
    }
    ws.send(JSON.stringify(msg));
  };
  const unsubscribe = control.subscribe((event: ControlEvent) => {
    if (event.type === 'log' && ws.bufferedAmount > LOG_BACKLOG_BYTES) return;
    send({ event });
  });
  ws.on('close', unsubscribe);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return send({ id: null, ok: false, error: 'binary messages are not accepted' });
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return send({ id: null, ok: false, error: 'the message is not JSON' });
    }
    const { id, method, params } = (typeof msg === 'object' && msg !== null ? msg : {}) as Record<string, unknown>;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return send({ id: null, ok: false, error: 'the message needs a numeric "id"' });
    const check = checkCall(method, params);
    if (!check.ok) return send({ id, ok: false, error: check.error });
    dispatch(control, check.call).then(
      (result) => send({ id, ok: true, result }),
      (err: unknown) => send({ id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

/** Closes with a reason the panel shows (a cap reached), without waiting on the peer to answer. */
export function refuseClient(ws: WebSocket, code: number, reason: string): void {
  ws.on('error', () => undefined);
  ws.close(code, reason);
  cutOffLater(ws);
}

function cutOffLater(ws: WebSocket): void {
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}
