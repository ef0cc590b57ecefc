import type { ErrorCode } from '@hiwar/protocol/codes';
import { isHiwarError } from '@hiwar/sdk';
import type { Lang } from '../models/prefs.js';

/** A message for every error code of the API, as a moderator reads it, in both languages. */
const CODES: Record<Lang, Record<ErrorCode, string>> = {
  ar: {
    invalid_json: 'تعذّر على الخادم فهم الطلب. أعد تحميل الصفحة وحاول مجدداً.',
    validation_failed: 'يرجى تصحيح الحقول المشار إليها.',
    url_not_allowed: 'هذا العنوان غير مسموح به لهذا الموقع.',
    unknown_site: 'هذا الموقع غير موجود.',
    not_found: 'لم يُعثر على العنصر؛ ربما حُذف.',
    forbidden_origin: 'هذا العنوان غير مسموح له باستخدام الخادم.',
    invalid_token: 'انتهت صلاحية الرمز.',
    unauthorized: 'انتهت جلستك. سجّل الدخول مجدداً.',
    invalid_credentials: 'اسم المستخدم أو كلمة المرور غير صحيحة.',
    forbidden: 'ليس لديك إذن بذلك.',
    challenge_required: 'مطلوب تحقق إضافي.',
    edit_window_closed: 'انتهت مهلة التعديل.',
    thread_closed: 'التعليقات مغلقة على هذه الصفحة.',
    banned: 'هذا المعلّق محظور.',
    duplicate_comment: 'هذا التعليق مكرر.',
    payload_too_large: 'النص طويل جداً.',
    unsupported_media_type: 'تعذّر على الخادم فهم الطلب.',
    rate_limited: 'محاولات كثيرة. حاول مجدداً بعد قليل.',
    unavailable: 'تعذّر الوصول إلى الخادم. تحقق من الاتصال وحاول مجدداً.',
    internal: 'حدث خطأ في الخادم. حاول مجدداً.',
  },
  en: {
    invalid_json: 'The server could not read the request. Reload the page and try again.',
    validation_failed: 'Please correct the marked fields.',
    url_not_allowed: 'This address is not allowed for this site.',
    unknown_site: 'This site does not exist.',
    not_found: 'Not found; it may have been deleted.',
    forbidden_origin: 'This address may not use the server.',
    invalid_token: 'The token has expired.',
    unauthorized: 'Your session has ended. Log in again.',
    invalid_credentials: 'Wrong username or password.',
    forbidden: 'You are not allowed to do that.',
    challenge_required: 'An extra check is needed.',
    edit_window_closed: 'The time to edit is over.',
    thread_closed: 'Comments are closed on this page.',
    banned: 'This commenter is banned.',
    duplicate_comment: 'This comment is a duplicate.',
    payload_too_large: 'The text is too long.',
    unsupported_media_type: 'The server could not read the request.',
    rate_limited: 'Too many attempts. Try again in a moment.',
    unavailable: 'The server cannot be reached. Check the connection and try again.',
    internal: 'Something went wrong on the server. Try again.',
  },
};

const WAIT: Record<Lang, (seconds: string) => string> = {
  ar: (s) => `محاولات كثيرة. حاول مجدداً بعد ${s}.`,
  en: (s) => `Too many attempts. Try again in ${s}.`,
};

/**
 * What to tell the moderator about a failed call, in their language, from the
 * error's code (never the server's English `message`); `rate_limited` says how
 * long to wait when the server said.
 *
 * @example
 * errorMessage(error, 'ar') // → 'اسم المستخدم أو كلمة المرور غير صحيحة.'
 */
export function errorMessage(error: unknown, lang: Lang): string {
  if (!isHiwarError(error)) return CODES[lang].internal;
  if (error.code === 'rate_limited' && error.retryAfter) {
    const minutes = error.retryAfter >= 90;
    const unit = new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : 'en', {
      style: 'unit',
      unit: minutes ? 'minute' : 'second',
      unitDisplay: 'long',
    });
    return WAIT[lang](unit.format(minutes ? Math.ceil(error.retryAfter / 60) : error.retryAfter));
  }
  return CODES[lang][error.code];
}
