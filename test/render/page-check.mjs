// Runs inside the page of browser.test.ts (inlined as a classic script): measures the rendered
// comment and parses its Mermaid blocks with mermaid's own parser. Returns plain data.
/* global document, window, NodeFilter */
window.perfVerdictCheck = async function perfVerdictCheck() {
  // A maintainer opens every section; closed sections have no layout to measure.
  for (const d of document.querySelectorAll('details')) d.open = true;
  const body = document.querySelector('.markdown-body');
  const contentWidth = body.getBoundingClientRect().width;
  const tables = [...document.querySelectorAll('.markdown-body table')].map((t, index) => ({
    index,
    width: t.getBoundingClientRect().width,
    scrollWidth: t.scrollWidth,
    clientWidth: t.clientWidth,
  }));
  // A number and its unit, a sign and its number, a verdict and its score: one line each.
  const units =
    /[+\u2212±]?\d[\d.,]*[\u00a0 ]?(?:%|µs|ms|ns|s\b|KiB|MiB)|(?:✅|❌|🟡|⏳)[\u00a0 ]?[A-Za-z]+(?:[\u00a0 ]\d+)?/gu;
  const wrapped = [];
  let numbersChecked = 0;
  let maxCellLines = 0;
  for (const cell of document.querySelectorAll('.markdown-body td, .markdown-body th')) {
    const lineHeight = parseFloat(window.getComputedStyle(cell).lineHeight);
    const inner = cell.getBoundingClientRect().height - 12 - 1;
    maxCellLines = Math.max(maxCellLines, Math.round(inner / lineHeight));
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const match of text.matchAll(units)) {
        numbersChecked++;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)));
        if (lines.size > 1) wrapped.push({ cell: cell.textContent ?? '', text: match[0] });
      }
    }
  }
  const mermaidApi = window.mermaid;
  mermaidApi.initialize({ startOnLoad: false });
  const mermaid = [];
  for (const [i, pre] of [...document.querySelectorAll('pre[lang="mermaid"]')].entries()) {
    const source = pre.textContent ?? '';
    try {
      await mermaidApi.parse(source);
      // Drawn as GitHub would, so the screenshot shows the picture.
      const { svg } = await mermaidApi.render(`mermaid-${i}`, source);
      const picture = document.createElement('div');
      picture.className = 'mermaid-picture';
      picture.innerHTML = svg;
      pre.replaceWith(picture);
      mermaid.push({ ok: true, error: null, source });
    } catch (error) {
      mermaid.push({ ok: false, error: String(error), source });
    }
  }
  return { contentWidth, tables, wrapped, numbersChecked, maxCellLines, mermaid };
};
