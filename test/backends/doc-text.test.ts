/**
 * QAPI doc text to HTML (docs backend): paragraphs, literal blocks, list
 * items, and inline markup that never runs across a line break. And doc
 * text as TSDoc comments (types, dispatch and client backends).
 */
import { commentBlock } from '../../generator/backends/common';
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

describe('commentBlock', () => {
  it('wraps one line, indented, and keeps an empty text a comment', () => {
    expect(commentBlock('Short.', '')).toBe('/**\n * Short.\n */');
    expect(commentBlock('Short.', '  ')).toBe('  /**\n   * Short.\n   */');
    expect(commentBlock('', '  ')).toBe('  /**\n   *\n   */');
  });

  it("gives empty lines ' *' without a trailing space, keeps other lines whole and defuses '*/'", () => {
    expect(commentBlock('First.\n\n  indented */ text\n\nLast * ', '  ')).toBe(
      '  /**\n   * First.\n   *\n   *   indented *\\/ text\n   *\n   * Last * \n   */',
    );
    expect(commentBlock('\n\n', '')).toBe('/**\n *\n *\n *\n */');
  });
});
