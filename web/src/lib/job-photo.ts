/**
 * A job photo made ready on the phone before it is sent: at most 1600 px on
 * its long side, JPEG, with the date, time and place stamped visibly in its
 * lower right corner (what a supervisor sees is what the phone said, not
 * only metadata). The pure parts (sizes, stamp text) are in `checklist.ts`.
 */
import { fitWithin, stampLines, type Capture } from '$lib/checklist';

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close(): void }> {
	if (typeof createImageBitmap === 'function') {
		try {
			const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
			return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
		} catch {
			// Some browsers refuse the options: the element below reads the same file.
		}
	}
	const url = URL.createObjectURL(file);
	try {
		const img = new Image();
		img.decoding = 'async';
		img.src = url;
		await img.decode();
		return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => undefined };
	} finally {
		URL.revokeObjectURL(url);
	}
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
	return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob gave nothing'))), type, quality));
}

/** Draws the stamp: white text on a dark box, in the lower right corner, sized to the picture. */
export function drawStamp(ctx: CanvasRenderingContext2D, width: number, height: number, lines: string[]): void {
	const size = Math.max(12, Math.round(Math.min(width, height) / 20));
	const pad = Math.round(size * 0.5);
	ctx.font = `700 ${size}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
	ctx.textBaseline = 'top';
	const textWidth = Math.max(...lines.map((l) => ctx.measureText(l).width));
	const boxW = Math.min(width, Math.ceil(textWidth + pad * 2));
	const boxH = Math.min(height, Math.ceil(lines.length * size * 1.25 + pad * 2 - size * 0.25));
	const x = width - boxW;
	const y = height - boxH;
	ctx.fillStyle = 'rgba(0, 0, 0, 0.62)';
	ctx.fillRect(x, y, boxW, boxH);
	ctx.fillStyle = '#ffffff';
	lines.forEach((line, i) => ctx.fillText(line, x + pad, y + pad + i * size * 1.25, boxW - pad * 2));
}

/** The photo as it is sent: smaller, JPEG, stamped with when and where. */
export async function preparePhoto(file: Blob, capture: Capture, timeZone: string, noPosition: string): Promise<Blob> {
	const image = await decode(file);
	try {
		const { width, height } = fitWithin(image.width, image.height, 1600);
		const canvas = document.createElement('canvas');
		canvas.width = width;
		canvas.height = height;
		const ctx = canvas.getContext('2d');
		if (!ctx) return file;
		ctx.drawImage(image.source, 0, 0, width, height);
		drawStamp(ctx, width, height, stampLines(capture, timeZone, noPosition));
		return await toBlob(canvas, 'image/jpeg', 0.85);
	} finally {
		image.close();
	}
}
