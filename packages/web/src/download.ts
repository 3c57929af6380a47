/** Starts a browser download of a (signed, same-origin or absolute) link without leaving the page. */
export function downloadUrl(url: string, fileName = ''): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
