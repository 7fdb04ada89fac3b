"""Overdue follow-ups: what is overdue, slipping or gone quiet, and whose it is."""

from dataclasses import replace
from datetime import date

import streamlit as st

from charts.followups import overdue_by_directorate_figure, overdue_by_directorate_text
from charts.overview import without_exempt_directorates
from data_access.queries import followups, overdue_items, slipped_and_stale
from domain.formatting import count, long_date, plural
from domain.settings import DEFAULT_THRESHOLDS
from ui.blocks import show_chart, show_listing
from ui.shell import nothing_in_view, page_filters, run_query, stop_if_empty

C = st.column_config
DATE = "D MMM YYYY"
COLUMNS = {
    "ref": C.TextColumn("Ref", width="small"),
    "recommendation_ref": C.TextColumn("Recommendation ref"),
    "source": C.TextColumn("Source", width="medium"),
    "wording": C.TextColumn("Recommendation", width="medium"),
    "description": C.TextColumn("Action", width="medium"),
    # Widths that fit the By owner table in a 1280 px laptop's page (about 800 px): a long
    # name or directorate is cut in its cell rather than pushing the numbers out of sight.
    "owner": C.TextColumn("Owner", width=142),
    "directorate": C.TextColumn("Directorate", width=214),
    "status": C.TextColumn("Status"),
    "current_target_date": C.DateColumn("Current target", format=DATE),
    "original_target_date": C.DateColumn("Original target", format=DATE),
    "due_date": C.DateColumn("Due", format=DATE),
    "last_activity_on": C.DateColumn("Last update (or date made)", format=DATE),
    "ever_updated": C.CheckboxColumn("Ever updated"),
    "days_overdue": C.NumberColumn("Days overdue", format="%,d"),
    "days_slipped": C.NumberColumn("Days slipped", format="%,d"),
    "days_since_update": C.NumberColumn("Days since update", format="%,d"),
    "revision_count": C.NumberColumn("Revisions", format="%,d"),
    "ageing_bucket": C.TextColumn("Time overdue"),
    "overdue_recommendations": C.NumberColumn("Overdue recommendations", format="%,d", width=168),
    "overdue_actions": C.NumberColumn("Overdue actions", format="%,d", width=112),
    "oldest_days_overdue": C.NumberColumn("Oldest, days overdue", format="%,d", width=144),
}
GOOD_NEWS = ":material/check_circle:"
NO_ACTION_HISTORY = (
    " Actions keep no history: an action counts as open on {when} if it is open now or was "
    "completed after that day."
)

filters = page_filters()
as_at = filters.as_at
when = long_date(as_at)
st.title("Overdue follow-ups")
st.caption(f"What is overdue, slipping or gone quiet, and whose it is, as at {when}.")
stop_if_empty()

if not run_query(followups.has_recommendations_in_view, filters):
    nothing_in_view(filters)
    st.stop()

# Only the open tab's queries run; the tab is kept in the address bar (?section=Slipped).
overdue_tab, slipped_tab, stale_tab = st.tabs(
    ["Overdue", "Slipped", "Stale"], key="section", bind="query-params"
)

with overdue_tab:
    if overdue_tab.open:
        overview = run_query(overdue_items.overdue_overview, filters)
        left, middle, right = st.columns(3)
        left.metric("Overdue recommendations", count(overview.overdue))
        middle.metric("Overdue actions", count(overview.overdue_actions))
        longest = overview.longest_overdue_days
        right.metric("Longest overdue", "–" if longest is None else plural(longest, "day"))
        if overview.overdue == 0 and overview.overdue_actions == 0:
            st.success(
                f"Nothing is overdue as at {when}: no open recommendation or action in this "
                "view is past its target date.",
                icon=GOOD_NEWS,
            )
        if overview.overdue:
            for_papers = without_exempt_directorates(overview.by_bucket)
            show_chart(
                overdue_by_directorate_figure(overview.by_bucket, as_at),
                overdue_by_directorate_text(overview.by_bucket, as_at),
                for_files=(
                    overdue_by_directorate_figure(for_papers, as_at),
                    overdue_by_directorate_text(for_papers, as_at),
                ),
            )
        elif overview.overdue_actions:
            st.success(f"No recommendation is overdue as at {when}.", icon=GOOD_NEWS)
        if overview.overdue or overview.overdue_actions:
            st.subheader("By owner")
            # Whose and how many first, the directorate last: on a phone the table scrolls
            # sideways, and the numbers must not be the part out of sight.
            rows = overview.by_owner.rows
            later = [name for name in rows.columns if name == "directorate"]
            by_owner = replace(
                overview.by_owner,
                rows=rows[[name for name in rows.columns if name not in later] + later],
            )
            show_listing(
                by_owner,
                f"{plural(by_owner.total, 'owner')} with overdue items, most items first",
                COLUMNS,
                subject="Overdue items by owner",
                as_at=as_at,
            )
        if overview.overdue:
            st.subheader("Overdue recommendations")
            listing = overview.recommendations
            show_listing(
                listing,
                f"{plural(listing.total, 'recommendation')}, longest overdue first",
                COLUMNS,
                subject="Overdue recommendations",
                as_at=as_at,
            )
        if overview.overdue_actions:
            st.subheader("Overdue actions")
            actions = overview.actions
            show_listing(
                actions,
                f"{plural(actions.total, 'action')}, longest overdue first",
                COLUMNS,
                NO_ACTION_HISTORY.format(when=when) if as_at < date.today() else "",
                subject="Overdue actions",
                as_at=as_at,
            )
        elif overview.overdue:
            st.success(f"No action is overdue as at {when}.", icon=GOOD_NEWS)

with slipped_tab:
    if slipped_tab.open:
        slipped = run_query(slipped_and_stale.slipped_recommendations, filters)
        left, right = st.columns(2)
        left.metric("Slipped recommendations", count(slipped.total))
        right.metric("Slipped twice or more", count(slipped.twice_or_more))
        if slipped.total == 0:
            st.success(
                f"Nothing has slipped as at {when}: no target date in this view has been "
                "moved, and nothing open is past its original target.",
                icon=GOOD_NEWS,
            )
        else:
            show_listing(
                slipped,
                f"{plural(slipped.total, 'recommendation')}, furthest slipped first",
                COLUMNS,
                subject="Slipped recommendations",
                as_at=as_at,
            )

with stale_tab:
    if stale_tab.open:
        stale = run_query(slipped_and_stale.stale_recommendations, filters)
        quiet_days = DEFAULT_THRESHOLDS.stale_after_days
        st.metric(f"Open with no update for {quiet_days} days", count(stale.total))
        if stale.total == 0:
            st.success(
                f"Nothing has gone quiet as at {when}: every open recommendation in this view "
                f"has had a progress update in the last {quiet_days} days.",
                icon=GOOD_NEWS,
            )
        else:
            show_listing(
                stale,
                f"{plural(stale.total, 'recommendation')}, longest without an update first",
                COLUMNS,
                subject="Stale recommendations",
                as_at=as_at,
            )
