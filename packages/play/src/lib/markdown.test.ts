import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders formatting, code and links (opening in a new tab)', () => {
    const html = renderMarkdown(
      '# Title\n\nSome **bold** and `code`, [docs](https://example.org).',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('href="https://example.org"');
    expect(html).toContain('rel="noopener noreferrer"');
  });

  it('drops scripts, event handlers, javascript: URLs, iframes and forms', () => {
    const html = renderMarkdown(
      [
        '<script>alert(1)</script>',
        '<img src="x" onerror="alert(2)">',
        '[click](javascript:alert(3))',
        '<iframe src="https://evil.example"></iframe>',
        '<form action="/steal"><input name="flag"></form>',
        '<p style="background:url(x)">styled</p>',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(
      /<script|onerror|javascript:|<iframe|<form|<input|style=/i,
    );
    expect(html).toContain('styled');
  });
});
