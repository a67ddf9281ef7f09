import { act, renderHook, waitFor } from '@testing-library/react';
import { usePolledData } from './usePolledData';

describe('usePolledData', () => {
  it('loads at once and keeps the last value through a failed refresh', async () => {
    const load = jest
      .fn()
      .mockResolvedValueOnce('first')
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValueOnce('third');
    const { result } = renderHook(() => usePolledData(load, []));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe('first'));
    expect(result.current.at).toBeInstanceOf(Date);

    let refreshed!: Promise<void>;
    act(() => {
      refreshed = result.current.refresh();
    });
    await waitFor(() => expect(result.current.error?.message).toBe('down'));
    await refreshed;
    expect(result.current.value).toBe('first');

    act(() => {
      result.current.refresh();
    });
    await waitFor(() => expect(result.current.value).toBe('third'));
    expect(result.current.error).toBeUndefined();
  });

  it('reloads when the deps change and every interval', async () => {
    jest.useFakeTimers();
    try {
      const load = jest.fn(async (key: string) => key);
      const { result, rerender } = renderHook(
        ({ key }) => usePolledData(() => load(key), [key], 1000),
        { initialProps: { key: 'a' } },
      );
      await act(async () => {});
      expect(result.current.value).toBe('a');
      rerender({ key: 'b' });
      await act(async () => {});
      expect(result.current.value).toBe('b');
      expect(load).toHaveBeenCalledTimes(2);
      await act(async () => {
        jest.advanceTimersByTime(1000);
      });
      expect(load).toHaveBeenCalledTimes(3);
      expect(load).toHaveBeenLastCalledWith('b');
    } finally {
      jest.useRealTimers();
    }
  });

  it('runs a refresh asked for during a load right after it', async () => {
    let resolveFirst!: (v: number) => void;
    const load = jest
      .fn()
      .mockImplementationOnce(() => new Promise(r => (resolveFirst = r)))
      .mockResolvedValueOnce(2);
    const { result } = renderHook(() => usePolledData(load, []));
    let refreshed!: Promise<void>;
    act(() => {
      refreshed = result.current.refresh();
    });
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => resolveFirst(1));
    await waitFor(() => expect(result.current.value).toBe(2));
    await refreshed;
    expect(load).toHaveBeenCalledTimes(2);
  });
});
