// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsSample } from '../../../shared/live-views';
import { fakeApi, pluginView, renderPanel, snapshot } from '../testing/fake-panel';
import { PluginCard } from './PluginCard';
import { ratePerSecond } from './PluginMetrics';

afterEach(cleanup);

const sample = (time: number, calls: number, over: Partial<MetricsSample> = {}): MetricsSample => ({
  id: 'p',
  time,
  calls,
  meanMs: 0.125,
  p99Ms: 1.5,
  deadlineHits: 0,
  memoryBytes: 2 * 1024 * 1024,
  memoryCapBytes: 64 * 1024 * 1024,
  logLinesDropped: 0,
  ...over,
});

describe('plugin metrics on the card', () => {
  it('shows the latest figures and the event rate as a sparkline, updating live', () => {
    const plugin = pluginView({ id: 'p' });
    const { panel } = renderPanel(<PluginCard plugin={plugin} />, fakeApi(), snapshot({ plugins: [plugin] }));
    const card = screen.getByRole('article', { name: 'p' });
    // Laid out before the first sample, so the log below does not move when figures arrive.
    const waiting = within(card).getByRole('region', { name: 'Metrics' });
    expect(waiting.getAttribute('aria-busy')).toBe('true');
    expect(waiting.textContent).toContain('events handled—');
    expect(within(waiting).getByRole('img', { name: 'events/s: no data yet' })).toBeTruthy();
    act(() => {
      panel.live.getState().applyEvent({ type: 'metrics', metrics: [sample(0, 10)] });
      panel.live.getState().applyEvent({ type: 'metrics', metrics: [sample(2000, 30, { deadlineHits: 1, logLinesDropped: 7 })] });
    });
    const metrics = within(card).getByRole('region', { name: 'Metrics' });
    const text = metrics.textContent!;
    for (const part of ['events handled30', 'mean0.13 ms', 'p991.50 ms', 'deadline hits1', 'memory2.0 MiB of 64 MiB', 'log lines dropped7']) expect(text).toContain(part);
    expect(within(metrics).getByRole('meter', { name: 'memory in use' }).getAttribute('value')).toBe(String(2 * 1024 * 1024));
    expect(within(metrics).getByRole('img', { name: 'events/s: 10' })).toBeTruthy();
  });

  it('a native plugin has no memory cap to show', () => {
    const plugin = pluginView({ id: 'p', kind: 'native' });
    const { panel } = renderPanel(<PluginCard plugin={plugin} />, fakeApi(), snapshot({ plugins: [plugin] }));
    act(() => panel.live.getState().applyEvent({ type: 'metrics', metrics: [sample(0, 1, { memoryCapBytes: 0, memoryBytes: 0 })] }));
    expect(screen.getByRole('region', { name: 'Metrics' }).textContent).toContain('not capped (native)');
  });

  it('rates are calls between samples per second', () => {
    expect(ratePerSecond([sample(0, 0), sample(2000, 10), sample(3000, 10), sample(3000, 11)])).toEqual([5, 0, 0]);
  });
});
