import { useMemo } from 'react';
import { renderMarkdown } from '../lib/markdown';

/** Markdown rendered through marked and sanitised by DOMPurify. */
export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // The HTML is sanitised by renderMarkdown: formatting only, no scripts.
  // eslint-disable-next-line react/no-danger
  return (
    <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />
  );
}
