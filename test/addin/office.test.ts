import { afterEach, describe, expect, it, vi } from 'vitest';
import { detectExcel } from '../../addin/src/office';

/** Office as office.js defines it, with onReady answering `info` after `delayMs`. */
function stubOffice(info: { host: string | null; platform: string | null } | Error, delayMs: number): void {
  const onReady = () =>
    new Promise((resolve, reject) => setTimeout(() => (info instanceof Error ? reject(info) : resolve(info)), delayMs));
  vi.stubGlobal('Office', { onReady, HostType: { Excel: 'Excel' } });
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('detectExcel', () => {
  it('waits for a slow Excel instead of falling back to preview after a few seconds', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('Excel', {});
    stubOffice({ host: 'Excel', platform: 'PC' }, 12_000);
    let answer: string | null | undefined;
    const detecting = detectExcel().then((a) => (answer = a));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(7_000);
    await detecting;
    expect(answer).toBe('excel');
  });

  it('is preview when onReady says there is no host (office.js in a plain browser)', async () => {
    stubOffice({ host: null, platform: null }, 0);
    expect(await detectExcel()).toBeNull();
  });

  it('is preview when office.js did not load, or onReady fails', async () => {
    expect(await detectExcel()).toBeNull();
    stubOffice(new Error('blocked'), 0);
    expect(await detectExcel()).toBeNull();
  });

  it('is preview in another Office host', async () => {
    vi.stubGlobal('Excel', {});
    stubOffice({ host: 'Word', platform: 'PC' }, 0);
    expect(await detectExcel()).toBeNull();
  });
});
