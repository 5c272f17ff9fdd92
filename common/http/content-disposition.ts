/**
 * RFC 6266 / 5987: a file name in ASCII for clients that read only `filename`, and the real (Chinese) one in
 * `filename*` for the rest.
 */
export const contentDisposition = (kind: 'inline' | 'attachment', asciiName: string, name: string): string =>
  `${kind}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
