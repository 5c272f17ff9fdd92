import type { Request } from 'express';
import type { Bilingual } from '../errors';

export type Language = keyof Bilingual;

/** The language a person reading this answer prefers: Chinese (the county's) unless the request asks for English first. */
export function preferredLanguage(req: Pick<Request, 'acceptsLanguages'>): Language {
  return req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh';
}

export const CONTENT_LANGUAGE: Record<Language, string> = { zh: 'zh-CN', en: 'en' };
