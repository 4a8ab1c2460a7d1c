// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, renderPanel, snapshot } from '../testing/fake-panel';
import { App } from './App';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('App pages', () => {
  it('opens on the plugins page with servers, players and the console beside it; the other pages replace their side copies', () => {
    renderPanel(<App />, fakeApi(), snapshot());
    expect(screen.getByRole('region', { name: 'Plugins' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Plugins' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('region', { name: 'Servers' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Players (0)' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Console' })).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Servers' }));
    expect(screen.queryByRole('region', { name: 'Plugins' })).toBeNull();
    expect(screen.getAllByRole('region', { name: 'Servers' })).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Add route' })).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Proxy' }));
    expect(screen.getByRole('region', { name: 'Proxy' })).toBeTruthy();
    expect(screen.getAllByRole('region', { name: 'Players (0)' })).toHaveLength(1);
    expect(screen.getByRole('region', { name: 'Servers' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Console' })).toBeTruthy();
  });

  it('the page comes from the URL hash', () => {
    window.location.hash = '#proxy';
    renderPanel(<App />, fakeApi(), snapshot());
    expect(screen.getByRole('link', { name: 'Proxy' }).getAttribute('aria-current')).toBe('page');
  });
});
