// Files dropped on the plugins folder (or example plugins picked from the gallery), from reading to deployed
// (or refused, with the reason). A file whose plugin id already exists waits for the user's answer before it
// replaces anything.
import { createStore } from 'zustand/vanilla';
import type { ControlApi, ControlEvent, DeployPhase, DeployResult, ExamplePluginView } from '../../../shared/control-api';
import { pluginFileNameProblem, uploadSizeProblem } from '../../../shared/upload-checks';
import { deployThroughApi, type DeployFile } from '../api/deploy-file';

export type UploadStatus = 'reading' | 'working' | 'needs-confirmation' | 'refused' | 'deployed' | 'failed';

export interface Upload {
  key: number;
  name: string;
  size: number;
  status: UploadStatus;
  phase: DeployPhase | null;
  message: string;
  confirmation: Extract<DeployResult, { kind: 'needs-confirmation' }> | null;
}

export interface UploadsState {
  uploads: Upload[];
  addFiles(files: File[], maxBytes: number): Promise<void>;
  /** Deploys a shipped example, shown and confirmed like a dropped file. */
  installExample(example: ExamplePluginView): Promise<void>;
  confirmReplace(key: number): Promise<void>;
  /** Forgets an upload; for one awaiting confirmation, that keeps the installed plugin. */
  dismiss(key: number): void;
  applyEvent(event: ControlEvent): void;
}

export type UploadsStore = ReturnType<typeof createUploadsStore>;

const FINISHED: UploadStatus[] = ['refused', 'deployed', 'failed'];

export function isFinished(upload: Upload): boolean {
  return FINISHED.includes(upload.status);
}

/** `deploy` carries a file to the host (default: base64 through the control API, as over IPC). */
export function createUploadsStore(api: ControlApi, deploy: DeployFile = deployThroughApi(api)) {
  let nextKey = 1;
  /** How to send an upload again with `replace` (holding a file's contents), kept only while it awaits confirmation. */
  const resend = new Map<number, (replace: boolean) => Promise<DeployResult>>();

  return createStore<UploadsState>()((set, get) => {
    const update = (key: number, patch: Partial<Upload>) =>
      set((s) => ({ uploads: s.uploads.map((u) => (u.key === key ? { ...u, ...patch } : u)) }));

    const send = async (key: number, deploy: (replace: boolean) => Promise<DeployResult>, replace: boolean) => {
      update(key, { status: 'working', phase: 'checking', message: 'Checking the component…', confirmation: null });
      let result: DeployResult;
      try {
        result = await deploy(replace);
      } catch (err) {
        resend.delete(key);
        return update(key, { status: 'failed', phase: null, message: (err as Error).message });
      }
      if (result.kind === 'needs-confirmation') {
        resend.set(key, deploy);
        return update(key, { status: 'needs-confirmation', phase: null, message: '', confirmation: result });
      }
      resend.delete(key);
      if (result.kind === 'refused') return update(key, { status: 'refused', phase: null, message: result.reason });
      const p = result.plugin;
      update(key, { status: 'deployed', phase: null, message: `Deployed ${p.id} (${p.state}${p.reason ? `: ${p.reason}` : ''})` });
    };

    const start = async (file: File, maxBytes: number) => {
      const key = nextKey++;
      const problem = pluginFileNameProblem(file.name) ?? uploadSizeProblem(file.size, maxBytes);
      const upload: Upload = {
        key,
        name: file.name,
        size: file.size,
        status: problem ? 'refused' : 'reading',
        phase: null,
        message: problem ?? 'Reading the file…',
        confirmation: null,
      };
      set((s) => ({ uploads: [...s.uploads, upload] }));
      if (problem) return;
      await send(key, (replace) => deploy(file, replace), false);
    };

    return {
      uploads: [],
      addFiles: async (files, maxBytes) => {
        await Promise.all(files.map((f) => start(f, maxBytes)));
      },
      async installExample(example) {
        const key = nextKey++;
        const upload: Upload = { key, name: example.file, size: example.size, status: 'working', phase: null, message: '', confirmation: null };
        set((s) => ({ uploads: [...s.uploads, upload] }));
        await send(key, (replace) => api.installExample({ file: example.file, replace }), false);
      },
      async confirmReplace(key) {
        const deploy = resend.get(key);
        if (!get().uploads.some((u) => u.key === key) || !deploy) return;
        await send(key, deploy, true);
      },
      dismiss(key) {
        resend.delete(key);
        set((s) => ({ uploads: s.uploads.filter((u) => u.key !== key) }));
      },
      applyEvent(event) {
        if (event.type !== 'deploy-progress') return;
        const { name, phase, message } = event.progress;
        set((s) => ({
          uploads: s.uploads.map((u) => (u.name === name && u.status === 'working' ? { ...u, phase, message: `${capitalise(message)}…` } : u)),
        }));
      },
    };
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
