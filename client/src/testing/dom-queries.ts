/**
 * Small DOM queries for component specs, in the spirit of Testing Library's getByLabel
 * and getByRole: specs find controls the way a user (and the browser tests) would.
 */

export function getByLabel<T extends HTMLElement = HTMLInputElement>(
  root: HTMLElement,
  text: string,
): T {
  const label = Array.from(root.querySelectorAll('label')).find(
    (l) => normalize(l.textContent) === text,
  );
  if (label) {
    const control = label.htmlFor
      ? (root.ownerDocument.getElementById(label.htmlFor) as T | null)
      : label.querySelector<T>('input, select, textarea');
    if (control) {
      return control;
    }
  }
  const labelled = root.querySelector<T>(`[aria-label="${text}"]`);
  if (labelled) {
    return labelled;
  }
  throw new Error(`No control labelled "${text}"`);
}

export function getButton(root: HTMLElement, name: string | RegExp): HTMLButtonElement {
  const button = queryButton(root, name);
  if (!button) {
    throw new Error(`No button named ${String(name)}`);
  }
  return button;
}

export function queryButton(root: HTMLElement, name: string | RegExp): HTMLButtonElement | null {
  return (
    Array.from(root.querySelectorAll('button')).find((b) => {
      const accessibleName = b.getAttribute('aria-label') ?? normalize(b.textContent);
      return typeof name === 'string' ? accessibleName === name : name.test(accessibleName);
    }) ?? null
  );
}

export function textOf(root: HTMLElement, selector: string): string[] {
  return Array.from(root.querySelectorAll(selector)).map((e) => normalize(e.textContent));
}

/** Types like a user: sets the value, fires input, then blur (marks the control touched). */
export function typeInto(control: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true }));
  control.dispatchEvent(new Event('blur'));
}

export function normalize(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The text a screen reader says for `root`, piece by piece: `aria-hidden` parts left out,
 * and a space between elements (Angular drops the whitespace between tags).
 */
export function spokenText(root: Element): string {
  return textPieces(root, (e) => e.getAttribute('aria-hidden') === 'true');
}

/** The text a sighted user reads in `root`: screen-reader-only (`sr-only`) parts left out. */
export function visibleText(root: Element): string {
  return textPieces(root, (e) => e.classList.contains('sr-only'));
}

function textPieces(root: Element, skip: (element: Element) => boolean): string {
  const pieces: string[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let hidden = false;
    for (let e = node.parentElement; e && !hidden; e = e === root ? null : e.parentElement) {
      hidden = skip(e);
    }
    if (!hidden) {
      pieces.push(node.textContent ?? '');
    }
  }
  return normalize(pieces.join(' '));
}
