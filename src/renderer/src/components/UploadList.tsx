// Dropped files and what became of them: working (with progress), refused (with the reason), waiting for
// the user to confirm a replacement, or deployed.
import { formatBytes } from '../../../shared/upload-checks';
import { usePanel, useUploads } from '../stores/panel-context';
import { isFinished, type Upload } from '../stores/uploads-store';
import { fileName } from './PluginCard';

export function UploadList() {
  const uploads = useUploads((s) => s.uploads);
  if (uploads.length === 0) return null;
  return (
    <ul className="uploads" aria-label="Uploads">
      {uploads.map((u) => (
        <UploadItem key={u.key} upload={u} />
      ))}
    </ul>
  );
}

function UploadItem({ upload: u }: { upload: Upload }) {
  const store = usePanel().uploads.getState();
  const working = u.status === 'reading' || u.status === 'working';
  return (
    <li className={`upload upload-${u.status}`} aria-busy={working || undefined}>
      <div className="upload-head">
        <span className="upload-name">{u.name}</span>
        <span className="muted">{formatBytes(u.size)}</span>
        <span className={`badge badge-upload-${u.status}`}>{statusLabel(u)}</span>
        {isFinished(u) && (
          <button type="button" className="link" aria-label={`Dismiss ${u.name}`} onClick={() => store.dismiss(u.key)}>
            Dismiss
          </button>
        )}
      </div>
      {working && (
        <div className="upload-progress">
          <progress aria-label={`Deploying ${u.name}`} />
          <span role="status">{u.message}</span>
        </div>
      )}
      {u.status === 'refused' && (
        <p className="upload-reason" role="alert">
          {u.name} was refused: {u.message}
        </p>
      )}
      {(u.status === 'deployed' || u.status === 'failed') && <p className="upload-reason" role={u.status === 'failed' ? 'alert' : 'status'}>{u.message}</p>}
      {u.status === 'needs-confirmation' && u.confirmation && <ReplaceConfirm upload={u} confirmation={u.confirmation} />}
    </li>
  );
}

function ReplaceConfirm({ upload, confirmation: c }: { upload: Upload; confirmation: NonNullable<Upload['confirmation']> }) {
  const store = usePanel().uploads.getState();
  const installed = [c.existingVersion && `v${c.existingVersion}`, fileName(c.existingFile)].filter(Boolean).join(', ');
  return (
    <div className="confirm" role="group" aria-label={`Replace ${c.id}?`}>
      <p>
        A plugin with id <code>{c.id}</code> is already installed ({installed}). Replace it with {upload.name} (v{c.incomingVersion})?
      </p>
      <div className="confirm-actions">
        <button type="button" className="primary" onClick={() => void store.confirmReplace(upload.key)}>
          Replace
        </button>
        <button type="button" onClick={() => store.dismiss(upload.key)}>
          Keep installed
        </button>
      </div>
    </div>
  );
}

function statusLabel(u: Upload): string {
  switch (u.status) {
    case 'reading':
      return 'reading';
    case 'working':
      return u.phase === 'compiling' ? 'compiling' : 'deploying';
    case 'needs-confirmation':
      return 'confirm';
    default:
      return u.status;
  }
}
