/** A minimal XML 1.0 well-formedness check for test output (no DTDs, no CDATA): throws on the first error. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const name = "[A-Za-z_][\\w.-]*";
const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(text: string, where: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new Error(`${where}: a control character XML 1.0 forbids`);
  if (/[<&]/.test(text.replace(entity, ""))) throw new Error(`${where}: a bare < or & in ${JSON.stringify(text.slice(0, 60))}`);
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

export function parseXml(xml: string): XmlElement {
  let rest = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack = [root];
  const tag = new RegExp(`^<(/?)(${name})((?:\\s+${name}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`);
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    const text = lt < 0 ? rest : rest.slice(0, lt);
    stack.at(-1)!.text += checkText(text, `text in <${stack.at(-1)!.name}>`);
    if (lt < 0) break;
    rest = rest.slice(lt);
    const match = tag.exec(rest);
    if (!match) throw new Error(`malformed tag at ${JSON.stringify(rest.slice(0, 60))}`);
    const [whole, closing, tagName, attributeText, selfClosing] = match;
    rest = rest.slice(whole!.length);
    if (closing) {
      const open = stack.pop()!;
      if (open.name !== tagName) throw new Error(`</${tagName}> closes <${open.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attributeText!.matchAll(new RegExp(`(${name})\\s*=\\s*"([^"]*)"`, "g"))) {
      if (key! in attributes) throw new Error(`duplicate attribute ${key} on <${tagName}>`);
      attributes[key!] = checkText(value!, `attribute ${key} of <${tagName}>`);
    }
    const element: XmlElement = { name: tagName!, attributes, children: [], text: "" };
    stack.at(-1)!.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (root.children.length !== 1 || root.text.trim() !== "") throw new Error("expected exactly one root element");
  return root.children[0]!;
}
