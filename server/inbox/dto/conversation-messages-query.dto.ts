import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

/** GET /api/conversations/:id/messages: the shared paging (limit, skip, before_id). */
export class ConversationMessagesQueryDto extends PageQueryDto {}
