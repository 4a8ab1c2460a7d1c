// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerView } from '../../../shared/proxy-views';
import { fakeApi, renderPanel, snapshot } from '../testing/fake-panel';
import { EMPTY_ROUTE, listOf, RouteForm } from './RouteForm';

afterEach(cleanup);

const lobby: ServerView = { id: 'lobby', file: '/s/lobby.toml', domains: ['lobby.example.com', '*.example.com'], addresses: ['127.0.0.1:25566'], proxyMode: 'passthrough', state: 'online', players: 0, problem: null };

function renderForm(props: Partial<Parameters<typeof RouteForm>[0]> = {}) {
  const api = fakeApi();
  const onDone = vi.fn();
  const view = renderPanel(<RouteForm initial={EMPTY_ROUTE} creating onDone={onDone} onCancel={() => undefined} {...props} />, api, snapshot({ servers: [lobby] }));
  const form = screen.getByRole('form', { name: props.creating === false ? `Edit route ${props.initial?.id}` : 'Add route' });
  const type = (label: string, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });
  const errorsOf = (label: string) => {
    const control = within(form).getByLabelText(label);
    return control.getAttribute('aria-invalid') === 'true' ? (control.closest('.field')!.querySelector('.field-errors')?.textContent ?? '') : '';
  };
  return { ...view, api, form, type, errorsOf, onDone, save: () => act(async () => fireEvent.click(within(form).getByRole('button', { name: 'Save route' }))) };
}

describe('RouteForm', () => {
  it('splits lists on lines, commas and spaces', () => {
    expect(listOf(' a.test,\nb.test  c.test\n\n')).toEqual(['a.test', 'b.test', 'c.test']);
  });

  it('flags bad domains, addresses and a domain another server routes, and sends nothing', async () => {
    const { api, type, errorsOf, save } = renderForm();
    type('Server id', 'survival');
    type('Domains', 'survival.example.com\nbad!domain\nLOBBY.example.com');
    type('Backend addresses', '127.0.0.1\n10.0.0.5:99999');
    expect(errorsOf('Domains')).toBe('');
    await save();
    expect(api.saveServer).not.toHaveBeenCalled();
    expect(errorsOf('Domains')).toContain('"bad!domain" is not a host name or * pattern');
    expect(errorsOf('Domains')).toContain('"LOBBY.example.com" is already routed to server "lobby"');
    expect(errorsOf('Backend addresses')).toContain('"127.0.0.1" is not host:port');
    expect(errorsOf('Backend addresses')).toContain('outside 1–65535');
    expect(errorsOf('Server id')).toBe('');
  });

  it('shows a field problem once the field is left, and checks wildcards too', () => {
    const { form, type, errorsOf } = renderForm();
    type('Domains', '*.example.com');
    expect(errorsOf('Domains')).toBe('');
    fireEvent.blur(within(form).getByLabelText('Domains'));
    expect(errorsOf('Domains')).toBe('"*.example.com" is already routed to server "lobby"');
    type('Domains', '*.other.net');
    expect(errorsOf('Domains')).toBe('');
  });

  it('a valid route is saved as typed, and the form reports what was written', async () => {
    const { api, type, save, onDone } = renderForm();
    api.saveServer.mockResolvedValue({ ok: true, server: null });
    type('Server id', 'survival');
    type('Domains', 'survival.example.com, *.survival.example.com');
    type('Backend addresses', '10.0.0.5:25565\n10.0.0.6:25565');
    type('MOTD', 'Welcome');
    type('Max players', '50');
    await save();
    expect(api.saveServer).toHaveBeenCalledWith({
      id: 'survival',
      domains: ['survival.example.com', '*.survival.example.com'],
      addresses: ['10.0.0.5:25565', '10.0.0.6:25565'],
      motd: 'Welcome',
      maxPlayers: 50,
      disconnectMessage: '',
      proxyMode: 'passthrough',
      forwarding: 'none',
      forwardingSecret: '',
      create: true,
    });
    expect(onDone).toHaveBeenCalledWith('Saved servers/survival.toml');
  });

  it('a decoding mode offers forwarding; velocity asks for its secret before saving', async () => {
    const { api, form, type, save, errorsOf } = renderForm();
    api.saveServer.mockResolvedValue({ ok: true, server: null });
    type('Server id', 'game');
    type('Domains', 'game.test');
    type('Backend addresses', '10.0.0.7:25565');
    expect(within(form).queryByLabelText('Forwarding')).toBeNull();
    type('Proxy mode', 'client_only');
    expect(within(form).getByText(/authenticated against the session server/)).toBeTruthy();
    type('Forwarding', 'velocity');
    await save();
    expect(api.saveServer).not.toHaveBeenCalled();
    expect(errorsOf('Forwarding secret')).toBe('velocity forwarding needs the secret the backend is configured with');
    type('Forwarding secret', 's3cret');
    await save();
    expect(api.saveServer).toHaveBeenCalledWith(expect.objectContaining({ id: 'game', proxyMode: 'client_only', forwarding: 'velocity', forwardingSecret: 's3cret', create: true }));
  });

  it("shows the host's refusal, on the field it names", async () => {
    const { api, form, type, save, errorsOf } = renderForm();
    api.saveServer.mockResolvedValue({ ok: false, error: 'a file named x.toml already exists', problems: [{ field: 'id', message: 'a file named x.toml already exists' }] });
    type('Server id', 'x');
    type('Domains', 'x.test');
    type('Backend addresses', 'x:1');
    await save();
    expect(within(form).getByRole('alert').textContent).toBe('a file named x.toml already exists');
    expect(errorsOf('Server id')).toBe('a file named x.toml already exists');
  });

  it('editing keeps the id fixed and its own domains are no duplicates', async () => {
    const initial = { ...EMPTY_ROUTE, id: 'lobby', domains: lobby.domains, addresses: lobby.addresses };
    const { api, form, type, save } = renderForm({ initial, creating: false });
    api.saveServer.mockResolvedValue({ ok: true, server: null });
    expect((within(form).getByLabelText('Server id') as HTMLInputElement).disabled).toBe(true);
    expect((within(form).getByLabelText('Proxy mode') as HTMLSelectElement).value).toBe('passthrough');
    type('Backend addresses', '127.0.0.1:25567');
    await save();
    expect(api.saveServer).toHaveBeenCalledWith(expect.objectContaining({ id: 'lobby', domains: lobby.domains, addresses: ['127.0.0.1:25567'], create: false }));
  });
});
