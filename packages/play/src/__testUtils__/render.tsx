import type { ReactElement } from 'react';
import { render as renderDom } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '../lib/queries';

/** Testing Library's render inside a fresh query client (as main.tsx provides one). */
export function render(ui: ReactElement) {
  return renderDom(
    <QueryClientProvider client={createQueryClient()}>
      {ui}
    </QueryClientProvider>,
  );
}
