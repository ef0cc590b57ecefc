import { Checkbox } from './Checkbox.js';
import { focusIn, rootOf } from './context.js';
import { Field } from './Field.js';
import { view } from './view.js';

const RETRYABLE = ['unavailable', 'internal', 'rate_limited', 'challenge_required'];

/** The comment form, in WordPress's words; under a comment when replying (the reply button focuses its field). */
export const Composer = view((_, { composer: m, locale }) => {
  const { t } = locale.value;
  const replyTo = m.replyTo.value;
  const error = m.formError.value;

  const submit = async (event: Event) => {
    event.preventDefault();
    const shadow = rootOf(event);
    const result = await m.submit();
    if (result === 'invalid') focusIn(shadow, '[part=form] [aria-invalid=true]');
    else if (result !== 'failed') focusIn(shadow, `#comment-${m.lastPosted.value}`);
  };
  const [before, after] = t.replyHeading.split('{name}');

  return (
    <form
      part="form"
      class="form"
      noValidate
      onSubmit={submit}
      onFocusIn={m.prepare}
      aria-labelledby="hiwar-fh"
    >
      <div class="row">
        <h3 id="hiwar-fh">
          {replyTo ? (
            <>
              {before}
              <bdi>{replyTo.author.name}</bdi>
              {after}
            </>
          ) : (
            t.formHeading
          )}
        </h3>
        {replyTo && (
          <button
            type="button"
            onClick={(event) => {
              focusIn(rootOf(event), `[data-reply="${replyTo.id}"]`);
              m.setReplyTo(null);
            }}
          >
            {t.cancelReply}
          </button>
        )}
      </div>
      <p class="mu">
        <span id="hiwar-en">{t.emailNote}</span> {t.requiredNote}
      </p>
      <Field name="body" required />
      <div class="ids">
        <Field name="name" required auto="name" />
        <Field name="email" required auto="email" type="email" />
        <Field name="website" auto="url" type="url" />
      </div>
      <div class="hp" aria-hidden="true">
        <label for="hiwar-hp">Homepage</label>
        <input
          id="hiwar-hp"
          name="homepage"
          tabIndex={-1}
          autoComplete="off"
          value={m.homepage.value}
          onInput={(event) => {
            m.homepage.value = event.currentTarget.value;
          }}
        />
      </div>
      <Checkbox name="remember" checked={m.remember} />
      <Checkbox name="notify" checked={m.notify} />
      {error && (
        <div part="error" role="alert" class="alert row">
          {t.codes[error]}
          {RETRYABLE.includes(error) && (
            <button type="button" onClick={submit}>
              {t.retry}
            </button>
          )}
        </div>
      )}
      <p>
        <button type="submit" part="submit" class="btn" aria-disabled={m.busy.value}>
          {t.submit}
        </button>
      </p>
    </form>
  );
});
