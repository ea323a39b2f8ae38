package io.azt3knet.mail.mailjet;

import java.util.List;

/**
 * One page of a Mailjet list, {@code {"Count": n, "Data": [...], "Total": n}}.
 *
 * @param data the items
 * @param count the number of items Mailjet says the page holds
 * @param total the {@code Total} Mailjet reported (its meaning for paged lists is not documented precisely)
 * @param <T> the item type
 */
public record MailjetPage<T>(List<T> data, long count, long total) {

    /** Copies the list. */
    public MailjetPage {
        data = List.copyOf(data);
    }
}
