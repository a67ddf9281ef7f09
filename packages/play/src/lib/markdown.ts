import { marked } from 'marked';
import DOMPurify from 'dompurify';

// Links in challenge text open in a new tab without handing over this page.
DOMPurify.addHook('afterSanitizeAttributes', node => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/**
 * Markdown to HTML that is safe to insert: marked renders, DOMPurify keeps
 * only formatting (no scripts, event handlers, iframes, forms, styles or
 * `javascript:` URLs).
 */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: [
      'style',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'iframe',
    ],
    FORBID_ATTR: ['style'],
  });
}
