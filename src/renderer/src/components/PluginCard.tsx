// One plugin: who it is, its state and why, what it may do, and the controls to change that.
import { Fragment, useId, useState } from 'react';
import type { OptInCapability } from '../../../shared/capabilities';
import { isOptIn } from '../../../shared/capabilities';
import type { PluginLogLine, PluginView } from '../../../shared/plugin-state';
import { usePanel, usePlugins } from '../stores/panel-context';
import type { PendingChange } from '../stores/plugins-store';
import { CapabilityList } from './CapabilityList';
import { PluginLog } from './PluginLog';
import { PluginMetrics } from './PluginMetrics';
import { Switch } from './Switch';

const NO_LINES: PluginLogLine[] = [];

export function PluginCard({ plugin }: { plugin: PluginView }) {
  const { plugins } = usePanel();
  const actions = plugins.getState();
  const pending: PendingChange | undefined = usePlugins((s) => s.pending[plugin.id]);
  const error = usePlugins((s) => s.errors[plugin.id]);
  const lines = usePlugins((s) => s.logs[plugin.id] ?? NO_LINES);
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const titleId = useId();

  const name = plugin.metadata?.name ?? fileName(plugin.file);
  // Settings live in [plugins.<id>]: a plugin that has not claimed its id has nowhere to keep them.
  const ownsId = plugin.metadata !== null && plugin.id === plugin.metadata.id;
  const enabled = pending?.enabled ?? plugin.enabledInConfig;
  const missingOptIn = plugin.missingCapabilities.filter(isOptIn);

  return (
    <article className={`plugin-card state-${plugin.state}`} aria-labelledby={titleId} aria-busy={pending ? true : undefined}>
      <header className="plugin-head">
        <div className="plugin-title">
          <h3 id={titleId}>{name}</h3>
          {plugin.metadata && <span className="version">v{plugin.metadata.version}</span>}
          <span className={`badge badge-${plugin.state}`}>{plugin.state}</span>
        </div>
        <div className="plugin-controls">
          <Switch label="enabled" checked={enabled} disabled={!ownsId || pending?.enabled !== undefined} onChange={(next) => void actions.setEnabled(plugin.id, next)} />
          <button type="button" onClick={() => void actions.reload(plugin.id)} disabled={!!pending}>
            Reload
          </button>
          <button type="button" className="danger" onClick={() => setConfirmingRemove(true)} disabled={!!pending || plugin.kind !== 'wasm'}>
            Remove
          </button>
        </div>
      </header>

      <dl className="plugin-meta">
        <dt>id</dt>
        <dd>
          <code>{ownsId ? plugin.id : '—'}</code>
        </dd>
        <dt>file</dt>
        <dd title={plugin.file}>{fileName(plugin.file)}</dd>
        <dt>contract</dt>
        <dd title={contractTitle(plugin)}>
          <code>{plugin.contract ? `infrarust:plugin@${plugin.contract}` : 'unknown'}</code>
        </dd>
        {plugin.providerRoles?.map((r) => (
          <Fragment key={r.kind}>
            <dt>provider</dt>
            <dd data-testid={`provider-${r.kind}`} title={`named by [${r.kind === 'ban' ? 'ban' : 'permissions'}] provider in infrarust.toml`}>
              {r.kind === 'ban' ? 'bans' : 'permissions'}: {r.registered ? 'registered' : 'selected, not registered'}
            </dd>
          </Fragment>
        ))}
        {plugin.metadata?.authors.length ? (
          <>
            <dt>by</dt>
            <dd>{plugin.metadata.authors.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      {plugin.metadata?.description && <p className="description">{plugin.metadata.description}</p>}

      {plugin.reason && plugin.state !== 'enabled' && <p className={`reason reason-${plugin.state}`}>{plugin.reason}</p>}

      {plugin.state === 'capability-denied' && missingOptIn.length > 0 && (
        <div className="grant-bar">
          <span>
            Needs {missingOptIn.length === 1 ? 'the capability' : 'the capabilities'}{' '}
            {missingOptIn.map((c, i) => (
              <span key={c}>
                {i > 0 && ', '}
                <code>{c}</code>
              </span>
            ))}
          </span>
          {missingOptIn.map((cap) => (
            <button key={cap} type="button" className="primary" disabled={!ownsId || pending?.permissions[cap] !== undefined} onClick={() => void actions.setPermission(plugin.id, cap, true)}>
              Grant {cap}
            </button>
          ))}
        </div>
      )}

      {plugin.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings">
          {plugin.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}

      {pending && (
        <p className="pending" role="status">
          {pending.label}
        </p>
      )}
      {error && (
        <div className="error" role="alert">
          <span>{error}</span>
          <button type="button" className="link" onClick={() => actions.dismissError(plugin.id)}>
            Dismiss
          </button>
        </div>
      )}

      {confirmingRemove && (
        <RemoveConfirm
          file={fileName(plugin.file)}
          id={plugin.id}
          canForget={ownsId}
          onCancel={() => setConfirmingRemove(false)}
          onConfirm={(forget) => {
            setConfirmingRemove(false);
            void actions.remove(plugin.id, forget);
          }}
        />
      )}

      <CapabilityList
        editable={ownsId}
        missing={plugin.missingCapabilities}
        isGranted={(cap: OptInCapability) => pending?.permissions[cap] ?? plugin.requested.includes(cap)}
        isPending={(cap: OptInCapability) => pending?.permissions[cap] !== undefined}
        onToggle={(cap, granted) => void actions.setPermission(plugin.id, cap, granted)}
      />

      {ownsId && <PluginMetrics id={plugin.id} />}

      <PluginLog lines={lines} />
    </article>
  );
}

function RemoveConfirm(props: { file: string; id: string; canForget: boolean; onCancel(): void; onConfirm(forgetConfig: boolean): void }) {
  const [forget, setForget] = useState(false);
  const forgetId = useId();
  return (
    <div className="confirm" role="group" aria-label={`Remove ${props.file}`}>
      <p>
        Delete <strong>{props.file}</strong> from the plugins folder? Its data folder is kept.
      </p>
      {props.canForget && (
        <p>
          <input id={forgetId} type="checkbox" checked={forget} onChange={(e) => setForget(e.target.checked)} />{' '}
          <label htmlFor={forgetId}>
            Also remove its <code>[plugins.{props.id}]</code> settings from infrarust.toml
          </label>
        </p>
      )}
      <div className="confirm-actions">
        <button type="button" className="danger" onClick={() => props.onConfirm(forget)}>
          Remove plugin
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** What the contract means for the plugin, as the card's tooltip. */
function contractTitle(plugin: PluginView): string {
  if (plugin.kind === 'native') return 'native plugins use the 0.2.3 host interfaces';
  if (plugin.contract === '0.3.0') return 'recovers after a fault in a fresh instance (restart budget, then quarantine); capabilities checked per call';
  if (plugin.contract === '0.2.3') return 'poisoned by a fault until reloaded; capabilities checked when linking';
  return 'not read yet: the file was refused before its contract was known';
}
