/**
 * A job given to the technician while the app is open is announced: a short
 * vibration and two tones (a phone in a pocket, a noisy street), and a line
 * naming it. Which jobs are new is pure; the signal itself is best effort
 * (a browser that refuses sound before a tap still vibrates and shows it).
 */
import type { Ticket } from '$lib/api/types';

/** Jobs newly given to `me` (assigned, not yet accepted) between two readings of my jobs; none on the first reading. */
export function newlyAssigned(before: readonly Pick<Ticket, 'id'>[] | null, after: readonly Ticket[], me: string | undefined): Ticket[] {
	if (!before || !me) return [];
	const known = new Set(before.map((t) => t.id));
	return after.filter((t) => !known.has(t.id) && t.status === 'assigned' && t.technician?.id === me);
}

/** The vibration pattern: two short pulses. */
export const VIBRATION = [180, 90, 180];

let audio: AudioContext | null = null;

/** Vibrates and plays two short tones; anything the browser refuses is skipped. */
export function announce(): void {
	try {
		navigator.vibrate?.(VIBRATION);
	} catch {
		/* no vibration on this device */
	}
	try {
		const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
		if (!Context) return;
		audio ??= new Context();
		const ctx = audio;
		void ctx.resume().catch(() => undefined);
		[880, 1175].forEach((frequency, i) => {
			const start = ctx.currentTime + i * 0.22;
			const tone = ctx.createOscillator();
			const gain = ctx.createGain();
			tone.frequency.value = frequency;
			gain.gain.setValueAtTime(0.0001, start);
			gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
			gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
			tone.connect(gain).connect(ctx.destination);
			tone.start(start);
			tone.stop(start + 0.21);
		});
	} catch {
		/* no sound allowed yet: the vibration and the line on screen remain */
	}
}
