// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BASELINE_CAPABILITIES, OPT_IN_CAPABILITIES } from '../../../shared/capabilities';
import { fakeApi, pluginView, renderPanel, snapshot } from '../testing/fake-panel';
import { PluginCard } from './PluginCard';

afterEach(cleanup);

function renderCard(plugin = pluginView({ id: 'bans', state: 'capability-denied', reason: 'capability denied: needs ban', missingCapabilities: ['ban'] })) {
  const api = fakeApi();
  const view = renderPanel(<PluginCard plugin={plugin} />, api, snapshot({ plugins: [plugin] }));
  return { ...view, card: screen.getByRole('article', { name: plugin.metadata?.name ?? 'x' }) };
}

describe('PluginCard', () => {
  it('shows name, id, version, file and state with its reason', () => {
    const { card } = renderCard();
    expect(within(card).getByRole('heading', { name: 'bans' })).toBeTruthy();
    expect(card.textContent).toContain('v1.2.3');
    expect(card.textContent).toContain('bans.wasm');
    expect(card.textContent).toContain('capability-denied');
    expect(card.textContent).toContain('capability denied: needs ban');
  });

  it('shows the contract each plugin speaks, with what that means for faults', () => {
    const { card } = renderCard(pluginView({ id: 'new_one', contract: '0.3.0' }));
    const contract = within(card).getByText('infrarust:plugin@0.3.0');
    expect(contract.closest('dd')!.getAttribute('title')).toMatch(/recovers after a fault/);
    cleanup();
    const old = renderCard(pluginView({ id: 'old_one', contract: '0.2.3' }));
    expect(within(old.card).getByText('infrarust:plugin@0.2.3').closest('dd')!.getAttribute('title')).toMatch(/poisoned by a fault/);
  });

  it('says when the plugin is a selected ban or permission provider, and whether it registered', () => {
    const { card } = renderCard(pluginView({ id: 'guard', contract: '0.3.0', providerRoles: [{ kind: 'ban', registered: true }, { kind: 'permission', registered: false }] }));
    expect(within(card).getByTestId('provider-ban').textContent).toBe('bans: registered');
    expect(within(card).getByTestId('provider-permission').textContent).toBe('permissions: selected, not registered');
    expect(within(renderCard(pluginView({ id: 'plain' })).card).queryByTestId('provider-ban')).toBeNull();
  });

  it('baseline capabilities are checked and disabled; each opt-in one is a checkbox named by its capability', () => {
    const { card } = renderCard(pluginView({ id: 'p', requested: ['limbo'] }));
    for (const cap of BASELINE_CAPABILITIES) {
      const box = within(card).getByRole('checkbox', { name: cap }) as HTMLInputElement;
      expect([box.checked, box.disabled]).toEqual([true, true]);
    }
    for (const cap of OPT_IN_CAPABILITIES) {
      const box = within(card).getByRole('checkbox', { name: cap }) as HTMLInputElement;
      expect([box.checked, box.disabled]).toEqual([cap === 'limbo', false]);
    }
  });

  it('a one-click grant for the missing capability; the box shows the change while it is applied', async () => {
    const { card, api } = renderCard();
    let answer!: (v: Awaited<ReturnType<typeof api.setPermission>>) => void;
    api.setPermission.mockReturnValue(new Promise((r) => (answer = r)));
    fireEvent.click(within(card).getByRole('button', { name: 'Grant ban' }));
    expect(api.setPermission).toHaveBeenCalledWith({ id: 'bans', capability: 'ban', granted: true });
    const box = within(card).getByRole('checkbox', { name: 'ban' }) as HTMLInputElement;
    expect([box.checked, box.disabled]).toEqual([true, true]);
    expect(within(card).getByRole('status').textContent).toBe('Granting ban…');
    await act(async () => answer({ ok: false, error: 'cannot edit the config: it does not parse' }));
    expect(within(card).getByRole('alert').textContent).toContain('cannot edit the config: it does not parse');
    expect((within(card).getByRole('checkbox', { name: 'ban' }) as HTMLInputElement).checked).toBe(false);
  });

  it('ticking and unticking opt-in boxes sends the change', () => {
    const { card, api } = renderCard(pluginView({ id: 'p', requested: ['ban'] }));
    api.setPermission.mockResolvedValue({ ok: true, plugin: null });
    fireEvent.click(within(card).getByRole('checkbox', { name: 'server-manage' }));
    expect(api.setPermission).toHaveBeenLastCalledWith({ id: 'p', capability: 'server-manage', granted: true });
    fireEvent.click(within(card).getByRole('checkbox', { name: 'ban' }));
    expect(api.setPermission).toHaveBeenLastCalledWith({ id: 'p', capability: 'ban', granted: false });
  });

  it('the "enabled" switch flips at once and asks the host; Reload asks for a reload', () => {
    const { card, api } = renderCard(pluginView({ id: 'p' }));
    api.setEnabled.mockReturnValue(new Promise(() => undefined));
    api.reloadPlugin.mockResolvedValue({ ok: true, plugin: null });
    fireEvent.click(within(card).getByRole('button', { name: 'Reload' }));
    expect(api.reloadPlugin).toHaveBeenCalledWith({ id: 'p' });
    const toggle = within(card).getByRole('switch', { name: 'enabled' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(toggle);
    expect(api.setEnabled).toHaveBeenCalledWith({ id: 'p', enabled: false });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });

  it('Remove asks first, and can also drop the [plugins.<id>] settings', async () => {
    const { card, api } = renderCard(pluginView({ id: 'p' }));
    api.removePlugin.mockResolvedValue({ ok: true, plugin: null });
    fireEvent.click(within(card).getByRole('button', { name: 'Remove' }));
    expect(api.removePlugin).not.toHaveBeenCalled();
    const confirm = within(card).getByRole('group', { name: 'Remove p.wasm' });
    fireEvent.click(within(confirm).getByRole('checkbox', { name: /also remove its \[plugins\.p\] settings/i }));
    await act(async () => fireEvent.click(within(confirm).getByRole('button', { name: 'Remove plugin' })));
    expect(api.removePlugin).toHaveBeenCalledWith({ id: 'p', forgetConfig: true });
  });

  it('lists warnings; a plugin without an id of its own cannot be configured', () => {
    const file = '/data/plugins/dup.wasm';
    const { card } = renderCard(
      pluginView({
        id: `file:${file}`,
        file,
        state: 'failed',
        reason: 'duplicate id "p"',
        warnings: ['[plugins.p] path is for native plugins'],
        metadata: { id: 'p', name: 'p', version: '1.0.0', authors: [], description: null, dependencies: [] },
      }),
    );
    expect(within(card).getByRole('list', { name: 'Warnings' }).textContent).toContain('path is for native plugins');
    expect((within(card).getByRole('checkbox', { name: 'ban' }) as HTMLInputElement).disabled).toBe(true);
    expect((within(card).getByRole('switch', { name: 'enabled' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows its own log lines', () => {
    const plugin = pluginView({ id: 'p' });
    renderPanel(<PluginCard plugin={plugin} />, fakeApi(), snapshot({ plugins: [plugin], logs: [{ pluginId: 'p', level: 'warn', message: 'hello there', time: 5 }] }));
    expect(screen.getByRole('list', { name: 'Log' }).textContent).toContain('hello there');
  });
});
