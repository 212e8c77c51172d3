/**
 * A performer's id: a stable slug of the name ("Beyoncé & Jay-Z" -> "beyonce-jay-z"),
 * so the same name on two events names one performer. Letters outside Latin
 * ("坂本龍一") are kept rather than dropped, so no name slugs to nothing.
 */
export const performerId = (name: string): string =>
  foldText(name)
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');

/** Lower case without diacritics (and the Latin letters NFKD leaves whole), as slugs and search words compare text. */
export const foldText = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase();
