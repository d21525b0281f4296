/**
 * A Svelte action for content that may scroll (wide tables at phone width, long JSON): while it does, the container
 * is focusable and named, so keyboard users can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable). When
 * everything fits it is no tab stop.
 */
export function scrollRegion(node: HTMLElement, label: string) {
  let name = label;
  const update = () => {
    const scrolls = node.scrollWidth > node.clientWidth || node.scrollHeight > node.clientHeight;
    if (scrolls) {
      node.tabIndex = 0;
      node.setAttribute('role', 'region');
      node.setAttribute('aria-label', name);
    } else {
      node.removeAttribute('tabindex');
      node.removeAttribute('role');
      node.removeAttribute('aria-label');
    }
  };
  // The container resizes with the window; its content (a table, a <pre>) with live updates.
  const observer = new ResizeObserver(update);
  observer.observe(node);
  if (node.firstElementChild) observer.observe(node.firstElementChild);
  update();
  return {
    update(next: string) {
      name = next;
      update();
    },
    destroy() {
      observer.disconnect();
    },
  };
}
