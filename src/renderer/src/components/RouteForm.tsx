// Add or edit one route (servers/<id>.toml). Every field is checked as the user types, with the same rules
// the host applies, including domains another server already routes; nothing is sent while a problem remains.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { FORWARDING_MODES, isDecodedMode, PROXY_MODES, type ForwardingMode, type ProxyModeName } from '../../../shared/proxy-modes';
import { routeProblems, type RouteField, type RouteProblem, type RouteSettings } from '../../../shared/route-rules';
import { useHost, usePanel } from '../stores/panel-context';

export const EMPTY_ROUTE: RouteSettings = {
  id: '',
  domains: [],
  addresses: [],
  motd: '',
  maxPlayers: 0,
  disconnectMessage: '',
  proxyMode: 'passthrough',
  forwarding: 'none',
  forwardingSecret: '',
};

interface Draft {
  id: string;
  domains: string;
  addresses: string;
  motd: string;
  maxPlayers: string;
  disconnectMessage: string;
  proxyMode: ProxyModeName;
  forwarding: ForwardingMode;
  forwardingSecret: string;
}

/** What each mode does, beside its name in the form. */
const MODE_HINTS: Record<ProxyModeName, string> = {
  passthrough: 'bytes piped as they are: fastest; plugins cannot message or move players',
  server_only: 'runs as passthrough',
  zero_copy: 'runs as passthrough (Node has no splice)',
  offline: 'the proxy completes the login and decodes: messages, titles, moves, chat events; backend in offline mode',
  client_only: 'as offline, and players are authenticated against the session server ([auth] session_server)',
};

/** One entry per line (commas and spaces also separate), empty ones dropped. */
export function listOf(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== '');
}

function toSettings(d: Draft): RouteSettings {
  const max = d.maxPlayers.trim() === '' ? 0 : Number(d.maxPlayers);
  const forwarding = isDecodedMode(d.proxyMode) ? d.forwarding : 'none';
  return {
    id: d.id.trim(),
    domains: listOf(d.domains),
    addresses: listOf(d.addresses),
    motd: d.motd,
    maxPlayers: max,
    disconnectMessage: d.disconnectMessage,
    proxyMode: d.proxyMode,
    forwarding,
    forwardingSecret: forwarding === 'velocity' ? d.forwardingSecret : '',
  };
}

export function RouteForm(props: { initial: RouteSettings; creating: boolean; onDone(message: string): void; onCancel(): void }) {
  const { api } = usePanel();
  const servers = useHost((s) => s.servers);
  const [draft, setDraft] = useState<Draft>(() => ({
    ...props.initial,
    domains: props.initial.domains.join('\n'),
    addresses: props.initial.addresses.join('\n'),
    maxPlayers: String(props.initial.maxPlayers),
  }));
  const [touched, setTouched] = useState<Partial<Record<RouteField, true>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hostProblems, setHostProblems] = useState<RouteProblem[]>([]);

  const settings = toSettings(draft);
  const problems = routeProblems(settings, servers, props.creating);
  // A field's problems show once it was left or a save was tried; the host's own answer shows at once.
  const shown = (field: RouteField) => [
    ...new Set([...(submitted || touched[field] ? problems : []), ...hostProblems].filter((p) => p.field === field).map((p) => p.message)),
  ];

  const field = (name: RouteField) => ({
    onBlur: () => setTouched((t) => ({ ...t, [name]: true })),
    onChange: (e: { target: { value: string } }) => {
      setDraft((d) => ({ ...d, [name]: e.target.value }));
      setHostProblems([]);
    },
  });
  const decoded = isDecodedMode(draft.proxyMode);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (problems.length > 0 || saving) return;
    setSaving(true);
    setError(null);
    const result = await api.saveServer({ ...settings, create: props.creating }).catch((err: Error) => ({ ok: false as const, error: err.message }));
    setSaving(false);
    if (result.ok) return props.onDone(`Saved servers/${settings.id}.toml`);
    setError(result.error);
    setHostProblems('problems' in result ? (result.problems ?? []) : []);
  };

  const title = props.creating ? 'Add route' : `Edit route ${props.initial.id}`;
  return (
    <form className="route-form" aria-label={title} onSubmit={(e) => void submit(e)} noValidate>
      <h3>{title}</h3>
      <Field label="Server id" hint="names the file servers/<id>.toml" errors={shown('id')}>
        {(a) => <input {...a} value={draft.id} disabled={!props.creating} autoComplete="off" spellCheck={false} {...field('id')} />}
      </Field>
      <Field label="Domains" hint="one per line; exact names or * wildcards (*.example.com)" errors={shown('domains')}>
        {(a) => <textarea {...a} rows={2} value={draft.domains} spellCheck={false} {...field('domains')} />}
      </Field>
      <Field label="Backend addresses" hint="host:port, one per line, tried in order" errors={shown('addresses')}>
        {(a) => <textarea {...a} rows={2} value={draft.addresses} spellCheck={false} {...field('addresses')} />}
      </Field>
      <Field label="Proxy mode" hint={MODE_HINTS[draft.proxyMode] ?? ''} errors={shown('proxyMode')}>
        {(a) => (
          <select {...a} value={draft.proxyMode} {...field('proxyMode')}>
            {PROXY_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        )}
      </Field>
      {decoded && (
        <Field label="Forwarding" hint="how the backend learns the player's real identity and address" errors={shown('forwarding')}>
          {(a) => (
            <select {...a} value={draft.forwarding} {...field('forwarding')}>
              {FORWARDING_MODES.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {decoded && draft.forwarding === 'velocity' && (
        <Field label="Forwarding secret" hint="the backend's Velocity secret (Paper: proxies.velocity.secret)" errors={shown('forwardingSecret')}>
          {(a) => <input {...a} type="password" autoComplete="off" value={draft.forwardingSecret} {...field('forwardingSecret')} />}
        </Field>
      )}
      <Field label="MOTD" hint="optional: the proxy answers pings with it; empty forwards pings to the backend" errors={shown('motd')}>
        {(a) => <input {...a} value={draft.motd} {...field('motd')} />}
      </Field>
      <Field label="Max players" hint="0 for no limit" errors={shown('maxPlayers')}>
        {(a) => <input {...a} type="number" min={0} step={1} value={draft.maxPlayers} {...field('maxPlayers')} />}
      </Field>
      <Field label="Disconnect message" hint="optional: shown when no backend address answers" errors={shown('disconnectMessage')}>
        {(a) => <input {...a} value={draft.disconnectMessage} {...field('disconnectMessage')} />}
      </Field>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="confirm-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save route'}
        </button>
        <button type="button" onClick={props.onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface ControlAttrs {
  id: string;
  'aria-describedby': string;
  'aria-invalid': boolean | undefined;
}

function Field(props: { label: string; hint: string; errors: string[]; children(attrs: ControlAttrs): ReactNode }) {
  const id = useId();
  const invalid = props.errors.length > 0;
  return (
    <div className={invalid ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-describedby': `${id}-hint${invalid ? ` ${id}-errors` : ''}`, 'aria-invalid': invalid || undefined })}
      <span id={`${id}-hint`} className="muted small">
        {props.hint}
      </span>
      {invalid && (
        <ul id={`${id}-errors`} className="field-errors small">
          {props.errors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
