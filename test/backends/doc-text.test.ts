/**
 * QAPI doc text to HTML (docs backend): paragraphs, literal blocks, list
 * items, and inline markup that never runs across a line break.
 */
import { textToHtml } from '../../generator/backends/docs';

describe('textToHtml', () => {
  it('splits paragraphs at blank (or blank-looking) lines and escapes HTML', () => {
    expect(textToHtml('')).toBe('');
    expect(textToHtml('One <b> & "two"\n  continued\n\t \nThird.\n')).toBe(
      '<p>One &lt;b&gt; &amp; &quot;two&quot;\ncontinued</p>\n<p>Third.</p>',
    );
  });

  it('turns a paragraph whose every line is indented into a literal block, common indent removed', () => {
    expect(textToHtml('Example:\n\n    -> { "execute": "x" }\n      <- {}\n')).toBe(
      '<p>Example:</p>\n<pre>-&gt; { &quot;execute&quot;: &quot;x&quot; }\n  &lt;- {}</pre>',
    );
  });

  it('puts a line break before list items, not before other lines', () => {
    expect(textToHtml('Values:\n- @a: first\n* b is *big*\nnot an item\n')).toBe(
      '<p>Values:<br>\n- <code>a</code>: first<br>\n* b is <em>big</em>\nnot an item</p>',
    );
  });

  it('marks up ``code``, *emphasis* and @member only within a line', () => {
    expect(textToHtml('``x`` and *y*, (*z*)\n``open\nclose`` *a\nb* @m.n_1.')).toBe(
      '<p><code>x</code> and <em>y</em>, (<em>z</em>)\n``open\nclose`` *a\nb* <code>m.n_1</code>.</p>',
    );
    // Emphasis ending a line, then a list item: both recognised.
    expect(textToHtml('see *this*\n* item')).toBe('<p>see <em>this</em><br>\n* item</p>');
  });
});
