import { describe, expect, it } from 'vitest';

import { htmlToText, stripSearchHighlights, truncateText } from '../../src/domain/text.js';
import { wallTimeToIso } from '../../src/domain/time.js';

describe('htmlToText', () => {
  it('keeps structure as line breaks and drops scripts, styles and tags', () => {
    const html =
      '<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;<b>Ada</b>,</p><script>alert(1)</script>' +
      '<ul><li>one</li><li>two &amp; three</li></ul><div>Price: &lt;5&euro; &#x1F600; &#0;</div><!-- hidden --></body></html>';
    expect(htmlToText(html)).toBe('Hello Ada,\n\n- one\n- two & three\n\nPrice: <5€ 😀 \uFFFD');
  });

  it('leaves unknown entities and stray control characters out of harm', () => {
    expect(htmlToText('a &bogus; b\u0007c')).toBe('a &bogus; bc');
  });
});

describe('stripSearchHighlights', () => {
  it('removes <c0> markup and turns <ddd/> into an ellipsis', () => {
    expect(stripSearchHighlights('The <c0>budget</c0> for Q1<ddd/> &amp; more')).toBe('The budget for Q1… & more');
  });
});

describe('truncateText', () => {
  it('reports whether it cut', () => {
    expect(truncateText('abc', 3)).toEqual({ text: 'abc', truncated: false });
    expect(truncateText('abcd', 3)).toEqual({ text: 'abc', truncated: true });
  });
});

describe('wallTimeToIso', () => {
  it('adds the zone offset, DST included', () => {
    expect(wallTimeToIso('2024-07-01T09:00:00.0000000', 'Europe/Paris')).toBe('2024-07-01T09:00:00+02:00');
    expect(wallTimeToIso('2024-01-01T09:00:00.0000000', 'Europe/Paris')).toBe('2024-01-01T09:00:00+01:00');
    expect(wallTimeToIso('2024-01-01T09:00:00.0000000', 'UTC')).toBe('2024-01-01T09:00:00Z');
    expect(wallTimeToIso('2024-01-01T09:00:00', 'Pacific Standard Time')).toBe('2024-01-01T09:00:00');
  });
});
