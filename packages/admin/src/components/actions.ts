import type { CommentStatus, ModerationAction } from '@hiwar/protocol';
import type { Tab } from '../models/queue-model.js';

/** The status actions a comment offers, by its status, in WordPress's order. */
export function rowActions(status: CommentStatus): ModerationAction[] {
  switch (status) {
    case 'pending':
      return ['approve', 'spam', 'delete'];
    case 'approved':
      return ['unapprove', 'spam', 'delete'];
    case 'spam':
      return ['not_spam', 'delete'];
    case 'deleted':
      return ['restore'];
  }
}

/** The bulk actions of a tab. */
export function bulkActions(tab: Tab): ModerationAction[] {
  switch (tab) {
    case 'all':
      return ['approve', 'unapprove', 'spam', 'delete'];
    case 'pending':
      return ['approve', 'spam', 'delete'];
    case 'approved':
      return ['unapprove', 'spam', 'delete'];
    case 'spam':
      return ['not_spam', 'delete'];
    case 'deleted':
      return ['restore'];
  }
}
