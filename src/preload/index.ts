// The only bridge between the sandboxed page and the host: two functions, no Node, no ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CONTROL_CALL_CHANNEL, CONTROL_EVENT_CHANNEL, type ControlBridge, type ControlEvent } from '../shared/control-api';

const bridge: ControlBridge = {
  call: (method, params) => ipcRenderer.invoke(CONTROL_CALL_CHANNEL, method, params),
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, controlEvent: ControlEvent) => listener(controlEvent);
    ipcRenderer.on(CONTROL_EVENT_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(CONTROL_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('infrarust', bridge);
