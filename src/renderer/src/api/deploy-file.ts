// How a dropped file reaches the host's one deploy path. Inside Electron it travels as base64 through the
// control API (IPC; the host sizes it before decoding). In a browser it is streamed to PUT /api/uploads,
// which never holds it in memory and refuses it as soon as it passes the limit; the token travels in the
// panel's cookie.
import type { ControlApi, DeployResult } from '../../../shared/control-api';
import { readFileBase64 } from './read-file';

export type DeployFile = (file: File, replace: boolean) => Promise<DeployResult>;

export function deployThroughApi(api: ControlApi): DeployFile {
  return async (file, replace) => api.deployPlugin({ name: file.name, data: await readFileBase64(file), replace });
}

export function deployOverHttp(page: URL, fetchImpl: typeof fetch = fetch): DeployFile {
  return async (file, replace) => {
    const url = new URL('/api/uploads', page);
    url.searchParams.set('name', file.name);
    if (replace) url.searchParams.set('replace', '1');
    let res: Response;
    try {
      res = await fetchImpl(url, { method: 'PUT', body: file, credentials: 'same-origin', headers: { 'Content-Type': 'application/wasm' } });
    } catch {
      throw new Error('the upload did not reach the host (connection lost)');
    }
    // Refusals of the file itself come as a deploy result; anything else (a cap, no token) as plain text.
    if (res.headers.get('Content-Type')?.startsWith('application/json')) return (await res.json()) as DeployResult;
    throw new Error((await res.text()).trim() || `the host answered ${res.status}`);
  };
}
