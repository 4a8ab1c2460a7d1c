// Carries the control API between our window and the host: ipcMain.handle for calls, webContents.send for
// events. Each call is accepted only from our window's own top frame, and only with well-formed parameters.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CONTROL_CALL_CHANNEL, CONTROL_EVENT_CHANNEL } from '../../shared/control-api';
import { checkCall, dispatch } from '../control/call-validation';
import type { ControlService } from '../control/control-service';
import { isTrustedSender } from './sender-check';

/**
 * `control` may still be starting (plugins loading): calls wait for it, so the page can load at once.
 * Returns a function that unwires everything.
 */
export function wireControlIpc(win: BrowserWindow, control: Promise<ControlService>, pageUrl: string): () => void {
  const webContentsId = win.webContents.id;
  ipcMain.handle(CONTROL_CALL_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, params: unknown) => {
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      { webContentsId: event.sender.id, frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null },
      { webContentsId, url: pageUrl },
    );
    if (!trusted) throw new Error('refused: this call does not come from the Infrarust Desktop window');
    const check = checkCall(method, params);
    if (!check.ok) throw new Error(check.error);
    return dispatch(await control, check.call);
  });
  let unsubscribe: (() => void) | null = null;
  let unwired = false;
  void control.then((service) => {
    if (unwired) return;
    unsubscribe = service.subscribe((event) => {
      if (!win.isDestroyed()) win.webContents.send(CONTROL_EVENT_CHANNEL, event);
    });
  });
  return () => {
    unwired = true;
    ipcMain.removeHandler(CONTROL_CALL_CHANNEL);
    unsubscribe?.();
  };
}
