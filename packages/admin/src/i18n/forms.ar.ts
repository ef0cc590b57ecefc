/** Why a form field was refused, by the reason code of a `validation_failed` answer (or the form's own). */
export const formsAr = {
  reasons: {
    required: 'هذا الحقل مطلوب.',
    too_long: 'القيمة أطول من المسموح.',
    too_short: 'القيمة أقصر من المسموح.',
    invalid: 'القيمة غير صالحة.',
    invalid_email: 'عنوان البريد الإلكتروني غير صالح.',
    invalid_url: 'العنوان غير صالح.',
    invalid_characters: 'في القيمة أحرف غير مسموح بها.',
    must_be_empty: 'يجب أن يبقى هذا الحقل فارغاً.',
    out_of_range: 'القيمة خارج الحدود المسموح بها.',
    mismatch: 'كلمتا المرور غير متطابقتين.',
  } as Record<string, string>,
  fixFields: (n: number) => (n === 1 ? 'يرجى تصحيح حقل واحد.' : `يرجى تصحيح ${n} حقول.`),
  cancel: 'إلغاء',
  confirm: 'تأكيد',
  yes: 'نعم',
  no: 'لا',
};
export type FormsMessages = typeof formsAr;
