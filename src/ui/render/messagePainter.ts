/**
 * Paints the messages in flight (and the dying and duplicated ones) on a canvas between the links and the
 * nodes. They move every frame: on a canvas that costs a clear and a few dozen small shapes, where SVG would
 * restyle, lay out and repaint a DOM group per message. The pills keep their text labels (kind, entry count,
 * ✓/✗), so kinds are never told apart by colour alone; the canvas is hidden from assistive technology (the
 * narration tells the same story in words).
 */
export interface PlacedMessage {
  readonly text: string;
  readonly family: string;
  readonly reply: boolean;
  readonly x: number;
  readonly y: number;
  readonly kind: 'flight' | 'dying' | 'duplicate';
  readonly opacity: number;
}

const FONT = '600 12px "JetBrains Mono Variable", ui-monospace, monospace';
const HEIGHT = 18;

export function createMessagePainter(canvas: HTMLCanvasElement) {
  const ctx = canvas.getContext('2d')!;
  let theme = '';
  let colors: Record<string, string> = {};
  let width = 0;
  let height = 0;
  let ratio = 1;
  let drewSomething = true;
  const textWidths = new Map<string, number>();

  /** Colours come from the theme's CSS variables; read again when the theme changes. */
  function readColors() {
    const style = getComputedStyle(document.documentElement);
    const v = (name: string) => style.getPropertyValue(name).trim();
    colors = {
      panel: v('--panel'), danger: v('--danger'), ink: v('--ink'),
      vote: v('--fam-vote'), prevote: v('--fam-prevote'), append: v('--fam-append'),
      heartbeat: v('--fam-heartbeat'), transfer: v('--fam-transfer'), client: v('--fam-client'),
    };
  }

  function measure(text: string): number {
    let w = textWidths.get(text);
    if (w === undefined) {
      w = ctx.measureText(text).width;
      if (textWidths.size > 500) textWidths.clear();
      textWidths.set(text, w);
    }
    return w;
  }

  return {
    paint(messages: readonly PlacedMessage[], w: number, h: number) {
      const dpr = window.devicePixelRatio || 1;
      if (w !== width || h !== height || dpr !== ratio) {
        width = w;
        height = h;
        ratio = dpr;
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
        canvas.style.width = `${w}px`;
        canvas.style.height = `${h}px`;
        drewSomething = true;
      }
      const currentTheme = document.documentElement.dataset.theme ?? '';
      if (currentTheme !== theme) {
        theme = currentTheme;
        readColors();
      }
      if (messages.length === 0 && !drewSomething) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      drewSomething = messages.length > 0;
      ctx.font = FONT;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.lineWidth = 1.6;
      for (const m of messages) {
        const stroke = m.kind === 'dying' ? colors.danger : colors[m.family] ?? colors.ink;
        const pillWidth = 10 + measure(m.text);
        ctx.globalAlpha = m.opacity;
        ctx.beginPath();
        ctx.roundRect(m.x - pillWidth / 2, m.y - HEIGHT / 2, pillWidth, HEIGHT, m.reply ? 2 : HEIGHT / 2);
        ctx.fillStyle = colors.panel;
        ctx.fill();
        ctx.setLineDash(m.reply ? [3, 2] : []);
        ctx.lineWidth = m.kind === 'duplicate' ? 2.5 : 1.6;
        ctx.strokeStyle = stroke;
        ctx.stroke();
        ctx.fillStyle = stroke;
        ctx.fillText(m.text, m.x, m.y + 0.5);
      }
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
    },
  };
}
