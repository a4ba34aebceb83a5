/**
 * The image files the extension offers to classify: the Explorer and editor menus (package.json's `when`
 * clauses, checked against this list by a unit test), the file picker, and the check of a file's name.
 */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp'] as const;

/** True for a path whose extension is one of IMAGE_EXTENSIONS, in any case. */
export function hasImageExtension(path: string): boolean {
  const dot = path.lastIndexOf('.');
  const extension = dot < 0 || path.lastIndexOf('/') > dot ? '' : path.slice(dot + 1).toLowerCase();
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extension);
}
