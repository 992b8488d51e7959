import { decodeHTML } from "entities";
import type { Token, Tokens } from "marked";
import { Component, type ComponentChildren } from "preact";
import { useMemo, useRef } from "preact/hooks";
import { CodeBlock } from "./code-block.tsx";
import { IncrementalLexer, lexMarkdown } from "./incremental-lexer.ts";
import { safeHref } from "./safe-url.ts";

// Model text becomes Preact elements built here from Markdown tokens, never HTML: raw HTML in the
// text (`<script>`, `<img onerror>`) is shown as the literal characters it is, links go only to
// http, https and mailto, and images are links rather than requests the model could make the
// browser send.

/** Text of a token whose text may hold character references (`&amp;`), as a reader sees it. */
function plain(token: { text: string; escaped?: boolean }): string {
  return token.escaped ? token.text : decodeHTML(token.text);
}

function inline(tokens: Token[] | undefined): ComponentChildren {
  return tokens?.map((token, index) => <Inline key={index} token={token} />);
}

function Inline({ token }: { token: Token }): ComponentChildren {
  switch (token.type) {
    case "text": {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : plain(text);
    }
    case "escape":
      return (token as Tokens.Escape).text;
    case "strong":
      return <strong>{inline((token as Tokens.Strong).tokens)}</strong>;
    case "em":
      return <em>{inline((token as Tokens.Em).tokens)}</em>;
    case "del":
      return <del>{inline((token as Tokens.Del).tokens)}</del>;
    case "codespan":
      return <code class="md-code-inline">{(token as Tokens.Codespan).text}</code>;
    case "br":
      return <br />;
    case "link":
      return <Link token={token as Tokens.Link} />;
    case "image":
      return <Image token={token as Tokens.Image} />;
    case "checkbox":
      return <input type="checkbox" class="md-task" checked={(token as Tokens.Checkbox).checked} disabled aria-label="task" />;
    default:
      // Raw HTML tags and anything unknown: their source, as text.
      return token.raw;
  }
}

function Link({ token }: { token: Tokens.Link }) {
  const href = safeHref(token.autolink ? token.href : decodeHTML(token.href));
  if (href === null) return <span class="md-link-refused">{inline(token.tokens)}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" title={token.title ?? undefined}>
      {inline(token.tokens)}
    </a>
  );
}

/** An image is not loaded (the URL could carry data out); it is a link the reader may follow. */
function Image({ token }: { token: Tokens.Image }) {
  const href = safeHref(decodeHTML(token.href));
  const label = `Image: ${decodeHTML(token.text) || "untitled"}`;
  if (href === null) return <span class="md-image">[{label}]</span>;
  return (
    <a class="md-image" href={href} target="_blank" rel="noopener noreferrer nofollow">
      [{label}]
    </a>
  );
}

const headings = ["h3", "h4", "h5", "h6", "h6", "h6"] as const;

function BlockView({ token }: { token: Token }): ComponentChildren {
  switch (token.type) {
    case "space":
    case "def":
      return null;
    case "paragraph":
      return <p>{inline((token as Tokens.Paragraph).tokens)}</p>;
    case "text": {
      const text = token as Tokens.Text;
      return <p>{text.tokens ? inline(text.tokens) : plain(text)}</p>;
    }
    case "heading": {
      const heading = token as Tokens.Heading;
      const Tag = headings[heading.depth - 1] ?? "h6";
      return <Tag class={`md-heading md-heading--${heading.depth}`}>{inline(heading.tokens)}</Tag>;
    }
    case "code": {
      const code = token as Tokens.Code;
      return <CodeBlock code={code.text} language={code.lang?.split(/\s/)[0] ?? ""} />;
    }
    case "blockquote":
      return <blockquote>{blocks((token as Tokens.Blockquote).tokens)}</blockquote>;
    case "list":
      return <List token={token as Tokens.List} />;
    case "table":
      return <Table token={token as Tokens.Table} />;
    case "hr":
      return <hr />;
    default:
      // Block HTML and anything unknown: the source, shown as text.
      return <p class="md-raw">{token.raw.replace(/\n+$/, "")}</p>;
  }
}

function List({ token }: { token: Tokens.List }) {
  const items = token.items.map((item, index) => (
    <li key={index} class={item.task ? "md-task-item" : undefined}>
      {item.loose ? blocks(item.tokens) : item.tokens.map((child, i) => (child.type === "text" || child.type === "checkbox" ? <Inline key={i} token={child} /> : <Block key={i} token={child} />))}
    </li>
  ));
  if (!token.ordered) return <ul>{items}</ul>;
  return <ol start={token.start === "" || token.start === 1 ? undefined : token.start}>{items}</ol>;
}

function Table({ token }: { token: Tokens.Table }) {
  const align = (value: Tokens.TableCell["align"]) => (value ? `md-align-${value}` : undefined);
  return (
    <div class="md-table-scroll">
      <table>
        <thead>
          <tr>
            {token.header.map((cell, index) => (
              <th key={index} class={align(cell.align)}>
                {inline(cell.tokens)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {token.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) => (
                <td key={c} class={align(cell.align)}>
                  {inline(cell.tokens)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One block; given the same token object again, it does not render again. */
class Block extends Component<{ token: Token }> {
  override shouldComponentUpdate(next: { token: Token }): boolean {
    return next.token !== this.props.token;
  }

  override render() {
    return <BlockView token={this.props.token} />;
  }
}

function blocks(tokens: Token[]): ComponentChildren {
  return tokens.map((token, index) => <Block key={index} token={token} />);
}

/**
 * Markdown as Preact elements. While `streaming`, the text is lexed incrementally and closed
 * blocks are not rendered again; once it is complete it is lexed whole, once.
 */
export function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const lexer = useRef<IncrementalLexer | null>(null);
  const tokens = useMemo(() => {
    if (!streaming) return lexMarkdown(text);
    lexer.current ??= new IncrementalLexer();
    return lexer.current.lex(text);
  }, [text, streaming]);
  return <div class="md">{blocks(tokens)}</div>;
}
