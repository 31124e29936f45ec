/** "Lee Novak" → "LN": the first letters of the first and last words. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((word) => [...word][0]!.toLocaleUpperCase()).join('');
}

/** A person's initials in a circle; the full name for assistive technology and on hover. */
export function Avatar({ name }: { name: string }) {
  return (
    <span
      role="img"
      aria-label={name}
      title={name}
      className="inline-flex size-8 items-center justify-center rounded-full bg-slate-700 text-xs font-semibold text-white"
    >
      {initialsOf(name)}
    </span>
  );
}
