import { describe, expect, test } from "bun:test";
import { render } from "preact-render-to-string";
import { IncrementalLexer, lexMarkdown } from "../../ui/src/markdown/incremental-lexer.ts";
import { Markdown } from "../../ui/src/markdown/markdown-view.tsx";
import { safeHref } from "../../ui/src/markdown/safe-url.ts";

const html = (text: string, streaming = false) => render(<Markdown text={text} streaming={streaming} />);

describe("model text never becomes markup", () => {
  test("<script> and <img onerror> are shown as the characters they are", () => {
    const out = html('Look: <script>alert("x")</script> and <img src=x onerror=alert(1)>\n\n<div onclick="steal()">block</div>\n');
    expect(out).not.toMatch(/<script|<img|<div onclick/i);
    expect(out).toContain("&lt;script>");
    expect(out).toContain("&lt;img src=x onerror=alert(1)>");
    expect(out).toContain('<p class="md-raw">&lt;div onclick=&quot;steal()&quot;>block&lt;/div></p>');
  });

  test("links go only to http, https and mailto, in a new tab without opener or referrer", () => {
    const out = html("[site](https://example.com/a?b=1&amp;c=2) [mail](mailto:a@example.com) [bad](javascript:alert(1)) [data](data:text/html,x) [rel](/admin) <https://auto.example>");
    expect(out).toContain('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">site</a>');
    expect(out).toContain('<a href="mailto:a@example.com"');
    expect(out).toContain('<a href="https://auto.example/"');
    expect(out).not.toMatch(/javascript:|data:text|href="\/admin"/);
    expect(out).toContain('<span class="md-link-refused">bad</span>');
    expect(out).toContain('<span class="md-link-refused">rel</span>');
  });

  test("an image is a link to it, never a request the page makes", () => {
    const out = html("![chart](https://example.com/c.png) ![x](javascript:alert(1))");
    expect(out).not.toContain("<img");
    expect(out).toContain('<a class="md-image" href="https://example.com/c.png"');
    expect(out).toContain("[Image: chart]");
    expect(out).toContain('<span class="md-image">[Image: x]</span>');
  });
});

describe("Markdown", () => {
  test("code blocks keep their text, name their language and have a Copy button", () => {
    const out = html("```ts\nconst a = 1 < 2 && b > c;\n```");
    expect(out).toContain('<span class="md-code-language">ts</span>');
    expect(out).toContain('data-testid="copy-code">Copy</button>');
    expect(out).toContain('<code class="language-ts">const a = 1 &lt; 2 &amp;&amp; b > c;</code>');
    expect(html("    indented\n")).toContain('<span class="md-code-language">text</span>');
  });

  test("character references are read; code spans stay literal", () => {
    expect(html("Fish &amp; chips &copy; &#60;3")).toContain("<p>Fish &amp; chips © &lt;3</p>");
    expect(html("`&amp;`")).toContain('<code class="md-code-inline">&amp;amp;</code>');
  });

  test("headings, emphasis, lists, task lists, quotes, tables, rules, breaks", () => {
    const out = html(
      "# Title\n\n**bold** *em* ~~gone~~ \\*lit\\*  \nnext\n\n1. one\n2. two\n\n3) x\n\n- [x] done\n- [ ] todo\n\n> quoted\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n---\n",
    );
    expect(out).toContain('<h3 class="md-heading md-heading--1">Title</h3>');
    expect(out).toContain("<strong>bold</strong> <em>em</em> <del>gone</del> *lit*<br/>next");
    expect(out).toContain("<ol><li>one</li><li>two</li></ol>");
    expect(out).toContain('<ol start="3">');
    expect(out).toContain('<input type="checkbox" class="md-task" checked disabled aria-label="task"/>done');
    expect(out).toContain("<blockquote><p>quoted</p></blockquote>");
    expect(out).toContain('<th class="md-align-left">a</th><th class="md-align-right">b</th>');
    expect(out).toContain("<hr/>");
    const loose = html("- a\n\n  more\n- b\n");
    expect(loose).toContain("<li><p>a</p><p>more</p></li>");
  });
});

describe("IncrementalLexer", () => {
  const reply =
    "# Plan\n\nFirst a paragraph\nover two lines.\n\n```js\nconst x = 1;\n\nconst y = 2;\n```\n\n- one\n\n- two\n\n    indented\n\n    code\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [the docs][d].\n\n[d]: https://example.com\n\nThe end.";

  test("every prefix lexes to the same blocks as lexing it whole", () => {
    const lexer = new IncrementalLexer();
    const shape = (tokens: { type: string; raw: string }[]) => tokens.map((token) => [token.type, token.raw]);
    for (let end = 1; end <= reply.length; end += 3) {
      const prefix = reply.slice(0, end);
      expect(shape(lexer.lex(prefix)), prefix).toEqual(shape(lexMarkdown(prefix)));
    }
  });

  test("closed blocks are the same objects from one delta to the next; the open one is new", () => {
    const lexer = new IncrementalLexer();
    const first = lexer.lex("Para one.\n\nPara two");
    const second = lexer.lex("Para one.\n\nPara two grows");
    expect(second[0]).toBe(first[0]!);
    expect(second.at(-1)).not.toBe(first.at(-1)!);
    expect(second.at(-1)!.raw).toBe("Para two grows");
  });

  test("a text that does not extend the last one is lexed afresh; CRLF reads as LF", () => {
    const lexer = new IncrementalLexer();
    const first = lexer.lex("Alpha.\n\nBeta");
    const other = lexer.lex("Gamma.\r\n\r\nDelta");
    expect(other[0]).not.toBe(first[0]!);
    expect(other.map((token) => token.raw)).toEqual(["Gamma.", "\n\n", "Delta"]);
  });

  test("a reference defined in a closed block still resolves in later text", () => {
    const out = html("[d]: https://example.com\n\nsee [docs][d]", true);
    expect(out).toContain('<a href="https://example.com/"');
  });
});

describe("safeHref", () => {
  test("absolute http, https and mailto only", () => {
    expect(safeHref(" https://example.com ")).toBe("https://example.com/");
    expect(safeHref("HTTP://EXAMPLE.com/x")).toBe("http://example.com/x");
    expect(safeHref("mailto:a@b.c")).toBe("mailto:a@b.c");
    for (const bad of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,x", "file:///etc/passwd", "/relative", "//evil.example", "", "http://[::1"]) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });
});
