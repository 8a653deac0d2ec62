"""Every route x every method x every role, with the expected status pinned in ONE table.

The URL variables are filled with school A's objects from tests/world.py (a shared note, a
meeting, an agreement ...); "leader_other" and "consultant_other" belong to school B, so their
column is what another school's user gets for school A's objects. Writes are POSTed with an
empty form (CSRF off in the test configuration): an allowed user gets 422 (or the result of an
action without fields), a refused one 403/404, an anonymous one the login page (302).

A route in the URL map that is missing from MATRIX fails the test by name: add its row after
deciding, from DESIGN.md's permission table, who may do what.

Regenerate a draft of rows with `python -m tests.test_authorization_matrix` (it prints what
the app answers today, to be checked against the permission table, never pasted blindly).
"""

from __future__ import annotations

import pytest

from strategy.extensions import db
from tests.helpers import sign_in
from tests.world import ROLES, SCHOOL_SCOPED, VARIANTS, WorldKeeper, isolated_app, url_for_endpoint

# Columns, in the order of every tuple below.
COLUMNS = ROLES  # anonymous, reader, leader, leader_other, consultant, consultant_other, directorate, admin,
# board (a school board member of school A), committee (a member of the Skoleudvalg)

# endpoint -> method -> expected status per role (COLUMNS order). Checked against DESIGN.md.
MATRIX: dict[str, dict[str, tuple[int, ...]]] = {
    # endpoint[@variant]                          method    anon  read  lead l.oth  cons c.oth  dire admin board comm
    # --- account (Min konto: each person's own password and sessions) ------------------------------
    "account.change_password":                      {"POST": ( 302,  422,  422,  422,  422,  422,  422,  422,  422,  422)},
    "account.end_all_sessions":                     {"POST": ( 302,  303,  303,  303,  303,  303,  303,  303,  303,  303)},
    # the session is school A's leader's: only they may end it; for everyone else it is not there
    "account.end_session":                          {"POST": ( 302,  404,  303,  404,  404,  404,  404,  404,  404,  404)},
    "account.index":                                {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    # --- admin -------------------------------------------------------------------------------------
    "admin.activate_user":                          {"POST": ( 302,  403,  403,  403,  403,  403,  403,  303,  403,  403)},
    "admin.activity":                               {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  303,  303,  403,  403)},
    "admin.add_activity":                           {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "admin.add_expectation":                        {"POST": ( 302,  403,  403,  403,  403,  403,  400,  400,  403,  403)},
    "admin.cluster":                                {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  403,  303,  403,  403)},
    "admin.create_cluster":                         {"GET":  ( 302,  403,  403,  403,  403,  403,  403,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  403,  422,  403,  403)},
    "admin.create_level":                           {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "admin.create_period":                          {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "admin.create_political_goal":                  {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "admin.create_school":                          {"GET":  ( 302,  403,  403,  403,  403,  403,  403,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  403,  422,  403,  403)},
    "admin.create_user":                            {"GET":  ( 302,  403,  403,  403,  403,  403,  403,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  403,  422,  403,  403)},
    "admin.deactivate_user":                        {"POST": ( 302,  403,  403,  403,  403,  403,  403,  303,  403,  403)},
    "admin.delete_activity":                        {"POST": ( 302,  403,  403,  403,  403,  403,  303,  303,  403,  403)},
    "admin.delete_cluster":                         {"POST": ( 302,  403,  403,  403,  403,  403,  403,  409,  403,  403)},
    "admin.delete_expectation":                     {"POST": ( 302,  403,  403,  403,  403,  403,  409,  409,  403,  403)},
    "admin.history":                                {"GET":  ( 302,  403,  403,  403,  403,  403,  403,  200,  403,  403)},
    "admin.index":                                  {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403)},
    "admin.level":                                  {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "admin.move_expectation":                       {"POST": ( 302,  403,  403,  403,  403,  403,  400,  400,  403,  403)},
    "admin.move_school":                            {"POST": ( 302,  403,  403,  403,  403,  403,  403,  303,  403,  403)},
    "admin.period":                                 {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "admin.periods":                                {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403)},
    "admin.pipeline":                               {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403)},
    "admin.political_goal":                         {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  303,  303,  403,  403)},
    "admin.political_goals":                        {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403)},
    "admin.revoke_invitation":                      {"POST": ( 302,  403,  403,  403,  403,  403,  403,  303,  403,  403)},
    "admin.send_invitation":                        {"POST": ( 302,  403,  403,  403,  403,  403,  403,  303,  403,  403)},
    "admin.school":                                 {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  403,  403,  303,  403,  403)},
    "admin.schools":                                {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403)},
    "admin.update_expectation":                     {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "admin.update_user":                            {"POST": ( 302,  403,  403,  403,  403,  403,  403,  422,  403,  403)},
    "admin.user":                                   {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403)},
    "admin.users":                                  {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  403)},
    "api.list_csv":                                 {"GET":  ( 401,  401,  401,  401,  401,  401,  401,  401,  401,  401)},
    "api.list_json":                                {"GET":  ( 401,  401,  401,  401,  401,  401,  401,  401,  401,  401)},
    "api.openapi":                                  {"GET":  ( 200,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "api_keys.create":                              {"POST": ( 302,  403,  403,  403,  403,  403,  403,  422,  403,  403)},
    "api_keys.index":                               {"GET":  ( 302,  403,  403,  403,  403,  403,  403,  200,  403,  403)},
    "api_keys.revoke":                              {"POST": ( 302,  403,  403,  403,  403,  403,  403,  303,  403,  403)},
    # --- auth --------------------------------------------------------------------------------------
    # one-time links are for whoever holds them, signed in or not; a link never issued is 410
    "auth.accept_invitation":                       {"GET":  ( 410,  410,  410,  410,  410,  410,  410,  410,  410,  410),
                                                     "POST": ( 410,  410,  410,  410,  410,  410,  410,  410,  410,  410)},
    "auth.forgot_password":                         {"GET":  ( 200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                     "POST": ( 422,  422,  422,  422,  422,  422,  422,  422,  422,  422)},
    "auth.login":                                   {"GET":  ( 200,  302,  302,  302,  302,  302,  302,  302,  302,  302),
                                                     "POST": ( 422,  302,  302,  302,  302,  302,  302,  302,  302,  302)},
    "auth.keep_alive":                              {"POST": ( 302,  204,  204,  204,  204,  204,  204,  204,  204,  204)},
    "auth.logout":                                  {"POST": ( 302,  303,  303,  303,  303,  303,  303,  303,  303,  303)},
    "auth.session_resumed":                         {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "auth.session_state":                           {"GET":  ( 200,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "auth.reset_password":                          {"GET":  ( 410,  410,  410,  410,  410,  410,  410,  410,  410,  410),
                                                     "POST": ( 410,  410,  410,  410,  410,  410,  410,  410,  410,  410)},
    "auth.set_language":                            {"POST": ( 302,  303,  303,  303,  303,  303,  303,  303,  303,  303)},
    # without an identity provider configured (the test configuration) single sign-on is not there
    "auth.sso_callback":                            {"GET":  ( 404,  404,  404,  404,  404,  404,  404,  404,  404,  404)},
    "auth.sso_start":                               {"GET":  ( 404,  404,  404,  404,  404,  404,  404,  404,  404,  404)},
    # --- board -------------------------------------------------------------------------------------
    "board.index":                                  {"GET":  ( 302,  403,  403,  403,  403,  403,  403,  403,  302,  403)},
    "board.school":                                 {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  200,  403)},
    "board.school@B":                               {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    # --- committee ---------------------------------------------------------------------------------
    "committee.index":                              {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  200)},
    "committee.pdf":                                {"GET":  ( 302,  403,  403,  403,  403,  403,  200,  200,  403,  200)},
    "help.accessibility":                           {"GET":  ( 200,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "help.dismiss_welcome":                         {"POST": ( 302,  303,  303,  303,  303,  303,  303,  303,  303,  303)},
    "help.first_week":                              {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "help.profile":                                 {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    # --- followup ----------------------------------------------------------------------------------
    "followup.agenda_row":                          {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403)},
    "followup.agreement_done":                      {"POST": ( 302,  403,  303,  403,  303,  403,  403,  403,  403,  403)},
    "followup.agreement_done@B":                    {"POST": ( 302,  403,  403,  303,  403,  303,  403,  403,  403,  403)},
    "followup.agreement_done@draft":                {"POST": ( 302,  403,  403,  403,  303,  403,  403,  403,  403,  403)},
    "followup.agreement_row":                       {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403)},
    "followup.cadence":                             {"GET":  ( 302,  403,  403,  403,  200,  200,  200,  200,  403,  403)},
    "followup.meeting_edit":                        {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  422,  403,  403,  403,  403,  403)},
    "followup.meeting_edit@B":                      {"GET":  ( 302,  403,  403,  403,  403,  200,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  422,  403,  403,  403,  403)},
    "followup.meeting_edit@draft":                  {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  422,  403,  403,  403,  403,  403)},
    "followup.meeting_new":                         {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  422,  403,  403,  403,  403,  403)},
    "followup.meeting_new@B":                       {"GET":  ( 302,  403,  403,  403,  403,  200,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  422,  403,  403,  403,  403)},
    "followup.meeting_view":                        {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  403,  403)},
    "followup.meeting_view@B":                      {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "followup.meeting_view@draft":                  {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403)},
    "followup.my_agreements":                       {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "followup.my_schools":                          {"GET":  ( 302,  403,  302,  302,  200,  200,  302,  302,  403,  403)},
    "followup.note_edit":                           {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  422,  403,  403,  403,  403,  403)},
    "followup.note_edit@B":                         {"GET":  ( 302,  403,  403,  403,  403,  200,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  422,  403,  403,  403,  403)},
    "followup.note_edit@draft":                     {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  422,  403,  403,  403,  403,  403)},
    "followup.note_edit@internal":                  {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  422,  403,  403,  403,  403,  403)},
    "followup.note_new":                            {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  422,  403,  403,  403,  403,  403)},
    "followup.note_new@B":                          {"GET":  ( 302,  403,  403,  403,  403,  200,  403,  403,  403,  403),
                                                     "POST": ( 302,  403,  403,  403,  403,  422,  403,  403,  403,  403)},
    "followup.note_school_fields":                  {"GET":  ( 302,  403,  403,  403,  302,  403,  403,  403,  403,  403)},
    "followup.note_view":                           {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  403,  403)},
    "followup.note_view@B":                         {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "followup.note_view@draft":                     {"GET":  ( 302,  403,  403,  403,  200,  403,  403,  403,  403,  403)},
    "followup.note_view@internal":                  {"GET":  ( 302,  403,  403,  403,  200,  403,  200,  200,  403,  403)},
    "followup.school":                              {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  403,  403)},
    "followup.school@B":                            {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "imports.batch":                                {"GET":  ( 302,  403,  404,  404,  403,  403,  200,  200,  403,  403)},
    "imports.columns":                              {"GET":  ( 302,  403,  404,  404,  403,  403,  404,  200,  403,  403),
                                                     "POST": ( 302,  403,  404,  404,  403,  403,  404,  422,  403,  403)},
    "imports.confirm":                              {"POST": ( 302,  403,  404,  404,  403,  403,  404,  303,  403,  403)},
    "imports.index":                                {"GET":  ( 302,  403,  200,  200,  403,  403,  200,  200,  403,  403)},
    "imports.indicator":                            {"GET":  ( 302,  403,  404,  404,  403,  403,  404,  200,  403,  403),
                                                     "POST": ( 302,  403,  404,  404,  403,  403,  404,  422,  403,  403)},
    "imports.preview":                              {"GET":  ( 302,  403,  404,  404,  403,  403,  404,  200,  403,  403)},
    "imports.template":                             {"GET":  ( 302,  403,  200,  200,  403,  403,  200,  200,  403,  403)},
    "imports.undo":                                 {"POST": ( 302,  403,  404,  404,  403,  403,  200,  200,  403,  403)},
    "imports.upload":                               {"POST": ( 302,  403,  422,  422,  403,  403,  422,  422,  403,  403)},
    # --- main --------------------------------------------------------------------------------------
    "main.healthz":                                 {"GET":  ( 200,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "main.index":                                   {"GET":  ( 302,  302,  302,  302,  302,  302,  302,  302,  302,  302)},
    # --- notifications: one's own only; the log of sends is the administrator's --------------------
    "notifications.index":                          {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "notifications.mail_log":                       {"GET":  ( 302,  403,  403,  403,  403,  403,  403,  200,  403,  403)},
    "notifications.mark_all_read":                  {"POST": ( 302,  303,  303,  303,  303,  303,  303,  303,  303,  303)},
    "notifications.mark_read":                      {"POST": ( 302,  404,  303,  404,  404,  404,  404,  404,  404,  404)},
    "notifications.settings":                       {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200),
                                                     "POST": ( 302,  422,  422,  422,  422,  422,  422,  422,  422,  422)},
    # --- overview ----------------------------------------------------------------------------------
    "overview.cell":                                {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  403,  403)},
    "overview.cell@B":                              {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "overview.export_csv":                          {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.export_xlsx":                         {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.goals_report":                        {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.goals_report_pdf":                    {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.index":                               {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.outcomes_page":                       {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.pipeline":                            {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.political_goal":                      {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.reports_index":                       {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.school_report":                       {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  403,  403)},
    "overview.school_report@B":                     {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "overview.school_report_pdf":                   {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  403,  403)},
    "overview.school_report_pdf@B":                 {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "overview.signals":                             {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "overview.watchlist_add":                       {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "overview.watchlist_remove":                    {"POST": ( 302,  403,  403,  403,  403,  403,  303,  303,  403,  403)},
    # --- reference ---------------------------------------------------------------------------------
    "reference.compare":                            {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "reference.faq":                                {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "reference.level":                              {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "reference.period":                             {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "reference.pipeline":                           {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "reference.policies":                           {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "reference.tool":                               {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "reference.tools":                              {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "search.results":                               {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "search.suggestions":                           {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "sharing.adopt":                                {"GET":  ( 302,  403,  403,  200,  403,  403,  403,  403,  403,  403)},
    "sharing.adopt@B":                              {"GET":  ( 302,  403,  200,  403,  403,  403,  403,  403,  403,  403)},
    "sharing.create_adoption":                      {"POST": ( 302,  403,  403,  422,  403,  403,  403,  403,  403,  403)},
    "sharing.create_adoption@B":                    {"POST": ( 302,  403,  422,  403,  403,  403,  403,  403,  403,  403)},
    "sharing.practices":                            {"GET":  ( 302,  403,  200,  403,  200,  200,  200,  200,  403,  403)},
    "sharing.practices@B":                          {"GET":  ( 302,  403,  403,  200,  200,  200,  200,  200,  403,  403)},
    "sharing.spread":                               {"GET":  ( 302,  403,  403,  403,  200,  200,  200,  200,  403,  403)},
    # --- schools -----------------------------------------------------------------------------------
    "schools.acted_on":                             {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.acted_on@B":                           {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.archive_goal":                         {"POST": ( 302,  403,  303,  403,  403,  403,  403,  303,  403,  403)},
    "schools.archive_goal@B":                       {"POST": ( 302,  403,  403,  303,  403,  403,  403,  303,  403,  403)},
    "schools.archive_initiative":                   {"POST": ( 302,  403,  303,  403,  403,  403,  403,  303,  403,  403)},
    "schools.archive_initiative@B":                 {"POST": ( 302,  403,  403,  303,  403,  403,  403,  303,  403,  403)},
    "schools.close_year":                           {"POST": ( 302,  403,  303,  403,  403,  403,  403,  303,  403,  403)},
    "schools.close_year@B":                         {"POST": ( 302,  403,  403,  303,  403,  403,  403,  303,  403,  403)},
    "schools.comment_goal":                         {"POST": ( 302,  403,  403,  403,  422,  403,  422,  422,  403,  403)},
    "schools.comment_goal@B":                       {"POST": ( 302,  403,  403,  403,  403,  422,  422,  422,  403,  403)},
    "schools.comment_initiative":                   {"POST": ( 302,  403,  403,  403,  422,  403,  422,  422,  403,  403)},
    "schools.comment_initiative@B":                 {"POST": ( 302,  403,  403,  403,  403,  422,  422,  422,  403,  403)},
    "schools.compare":                              {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.compare@B":                            {"GET":  ( 302,  403,  404,  404,  404,  404,  404,  404,  403,  403)},
    "schools.create_goal":                          {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.create_goal@B":                        {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.create_goal_evaluation":               {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.create_goal_evaluation@B":             {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.create_initiative":                    {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.create_initiative@B":                  {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.create_initiative_evaluation":         {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.create_initiative_evaluation@B":       {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.create_strategy":                      {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.create_strategy@B":                    {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.delete_measurement":                   {"POST": ( 302,  403,  400,  403,  403,  403,  403,  400,  403,  403)},
    "schools.delete_measurement@B":                 {"POST": ( 302,  403,  403,  400,  403,  403,  403,  400,  403,  403)},
    "schools.edit_goal":                            {"GET":  ( 302,  403,  200,  403,  403,  403,  403,  200,  403,  403)},
    "schools.edit_goal@B":                          {"GET":  ( 302,  403,  403,  200,  403,  403,  403,  200,  403,  403)},
    "schools.edit_initiative":                      {"GET":  ( 302,  403,  200,  403,  403,  403,  403,  200,  403,  403)},
    "schools.edit_initiative@B":                    {"GET":  ( 302,  403,  403,  200,  403,  403,  403,  200,  403,  403)},
    "schools.expectations":                         {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.expectations@B":                       {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.goal":                                 {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.goal@B":                               {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.goal_history":                         {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.goal_history@B":                       {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.goal_timeline":                        {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.goal_timeline@B":                      {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.index":                                {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  200,  200)},
    "schools.initiative":                           {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.initiative@B":                         {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.initiative_history":                   {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.initiative_history@B":                 {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.initiative_timeline":                  {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.initiative_timeline@B":                {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.move_goal":                            {"POST": ( 302,  403,  400,  403,  403,  403,  403,  400,  403,  403)},
    "schools.move_goal@B":                          {"POST": ( 302,  403,  403,  400,  403,  403,  403,  400,  403,  403)},
    "schools.move_initiative":                      {"POST": ( 302,  403,  400,  403,  403,  403,  403,  400,  403,  403)},
    "schools.move_initiative@B":                    {"POST": ( 302,  403,  403,  400,  403,  403,  403,  400,  403,  403)},
    "schools.my_school":                            {"GET":  ( 302,  302,  302,  302,  302,  302,  302,  302,  302,  302)},
    "schools.new_goal":                             {"GET":  ( 302,  403,  200,  403,  403,  403,  403,  200,  403,  403)},
    "schools.new_goal@B":                           {"GET":  ( 302,  403,  403,  200,  403,  403,  403,  200,  403,  403)},
    "schools.new_goal_evaluation":                  {"GET":  ( 302,  403,  200,  403,  403,  403,  403,  200,  403,  403)},
    "schools.new_goal_evaluation@B":                {"GET":  ( 302,  403,  403,  200,  403,  403,  403,  200,  403,  403)},
    "schools.new_initiative":                       {"GET":  ( 302,  403,  200,  403,  403,  403,  403,  200,  403,  403)},
    "schools.new_initiative@B":                     {"GET":  ( 302,  403,  403,  200,  403,  403,  403,  200,  403,  403)},
    "schools.new_initiative_evaluation":            {"GET":  ( 302,  403,  200,  403,  403,  403,  403,  200,  403,  403)},
    "schools.new_initiative_evaluation@B":          {"GET":  ( 302,  403,  403,  200,  403,  403,  403,  200,  403,  403)},
    "schools.new_strategy":                         {"GET":  ( 302,  403,  200,  403,  403,  403,  403,  200,  403,  403)},
    "schools.new_strategy@B":                       {"GET":  ( 302,  403,  403,  200,  403,  403,  403,  200,  403,  403)},
    "schools.restore_goal":                         {"POST": ( 302,  403,  303,  403,  403,  403,  403,  303,  403,  403)},
    "schools.restore_goal@B":                       {"POST": ( 302,  403,  403,  303,  403,  403,  403,  303,  403,  403)},
    "schools.restore_initiative":                   {"POST": ( 302,  403,  303,  403,  403,  403,  403,  303,  403,  403)},
    "schools.restore_initiative@B":                 {"POST": ( 302,  403,  403,  303,  403,  403,  403,  303,  403,  403)},
    "schools.save_measurement":                     {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.save_measurement@B":                   {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.school":                               {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.school@B":                             {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.set_status":                           {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.set_status@B":                         {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.snapshot":                             {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.snapshot@B":                           {"GET":  ( 302,  403,  404,  404,  404,  404,  404,  404,  403,  403)},
    "schools.status":                               {"GET":  ( 302,  200,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.status@B":                             {"GET":  ( 302,  403,  200,  200,  200,  200,  200,  200,  403,  403)},
    "schools.update_goal":                          {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.update_goal@B":                        {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    "schools.update_initiative":                    {"POST": ( 302,  403,  422,  403,  403,  403,  403,  422,  403,  403)},
    "schools.update_initiative@B":                  {"POST": ( 302,  403,  403,  422,  403,  403,  403,  422,  403,  403)},
    # --- sus ---------------------------------------------------------------------------------------
    "sus.add_focus":                                {"POST": ( 302,  403,  422,  403,  403,  403,  403,  403,  403,  403)},
    "sus.add_focus@B":                              {"POST": ( 302,  403,  403,  422,  403,  403,  403,  403,  403,  403)},
    "sus.add_topic":                                {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "sus.add_topic@B":                              {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "sus.board_report":                             {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  200,  403)},
    "sus.board_report@B":                           {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "sus.board_report_pdf":                         {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  200,  403)},
    "sus.board_report_pdf@B":                       {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "sus.delete_focus":                             {"POST": ( 302,  403,  303,  403,  403,  403,  403,  403,  403,  403)},
    "sus.delete_focus@B":                           {"POST": ( 302,  403,  403,  303,  403,  403,  403,  403,  403,  403)},
    "sus.delete_topic":                             {"POST": ( 302,  403,  403,  403,  403,  403,  303,  303,  403,  403)},
    "sus.delete_topic@B":                           {"POST": ( 302,  403,  403,  403,  403,  403,  303,  303,  403,  403)},
    "sus.invite_parent":                            {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "sus.invite_parent@B":                          {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "sus.plan_meeting":                             {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "sus.plan_meeting@B":                           {"POST": ( 302,  403,  403,  403,  403,  403,  422,  422,  403,  403)},
    "sus.report":                                   {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  403,  403)},
    "sus.report@B":                                 {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "sus.report_pdf":                               {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  403,  403)},
    "sus.report_pdf@B":                             {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "sus.school":                                   {"GET":  ( 302,  403,  200,  403,  200,  403,  200,  200,  200,  403)},
    "sus.school@B":                                 {"GET":  ( 302,  403,  403,  200,  403,  200,  200,  200,  403,  403)},
    "sus.start":                                    {"POST": ( 302,  403,  403,  403,  403,  403,  303,  303,  403,  403)},
    "sus.start@B":                                  {"POST": ( 302,  403,  403,  403,  403,  403,  303,  303,  403,  403)},
}


# --- the machinery ---------------------------------------------------------------------------


def _routes(app) -> list[tuple[str, str]]:
    pairs = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            pairs.add((rule.endpoint, method))
    return sorted(pairs)


def _variants(app) -> list[tuple[str, str]]:
    """Rows for other objects: school B's (every school-scoped route), drafts, internal notes."""
    rows = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("static", "admin.")):
            continue
        arguments = set(rule.arguments)
        for variant, params in VARIANTS.items():
            wanted = SCHOOL_SCOPED if variant == "B" else set(params)
            if arguments & wanted:
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    rows.append((f"{rule.endpoint}@{variant}", method))
    return sorted(rows)


_APP = isolated_app("test")
ROUTES = _routes(_APP)
PRESENT = {endpoint for endpoint, _method in ROUTES}
CASES = [
    (endpoint, method, role)
    for endpoint, methods in MATRIX.items()
    if endpoint.partition("@")[0] in PRESENT
    for method in methods
    for role in COLUMNS
]


@pytest.fixture(scope="module")
def keeper():
    app = isolated_app("test")
    with app.app_context():
        keeper = WorldKeeper(app)
        yield keeper
        keeper.close()
        db.session.remove()


def request_as(keeper: WorldKeeper, endpoint: str, method: str, role: str):
    world = keeper.fresh()
    app = keeper.app
    client = app.test_client()
    if world.user(role) is not None:
        sign_in(client, world.user(role))
    url = url_for_endpoint(app, endpoint, world)
    response = client.open(url, method=method, data={} if method != "GET" else None)
    keeper.after(method, response)
    return response


def test_every_route_in_the_url_map_is_in_the_table():
    missing = [f"{endpoint} {method}" for endpoint, method in ROUTES + _variants(_APP)
               if method not in MATRIX.get(endpoint, {})]
    assert not missing, "routes missing from MATRIX in tests/test_authorization_matrix.py:\n  " + "\n  ".join(missing)


def test_the_table_has_no_rows_for_routes_that_are_gone():
    present = set(ROUTES) | set(_variants(_APP))
    stale = [f"{e} {m}" for e, methods in MATRIX.items() for m in methods if (e, m) not in present]
    assert not stale, "MATRIX rows for routes that no longer exist:\n  " + "\n  ".join(stale)
    assert all(len(row) == len(COLUMNS) for methods in MATRIX.values() for row in methods.values())


@pytest.mark.parametrize("endpoint, method, role", CASES, ids=[f"{e}-{m}-{r}" for e, m, r in CASES])
def test_route_by_role(keeper, endpoint, method, role):
    expected = MATRIX[endpoint][method][COLUMNS.index(role)]
    response = request_as(keeper, endpoint, method, role)
    assert response.status_code == expected, (
        f"{method} {endpoint} as {role}: {response.status_code}, expected {expected}"
        f" (Location: {response.headers.get('Location')})"
    )
    assert response.status_code < 500
    if response.status_code == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/login")


def observe() -> dict[str, dict[str, tuple[int, ...]]]:
    """What the app answers today, for drafting rows (see the module docstring)."""
    app = isolated_app("test", PROPAGATE_EXCEPTIONS=False)
    observed: dict[str, dict[str, tuple[int, ...]]] = {}
    with app.app_context():
        keeper = WorldKeeper(app)
        for endpoint, method in _routes(app) + _variants(app):
            row = []
            for role in COLUMNS:
                try:
                    row.append(request_as(keeper, endpoint, method, role).status_code)
                except KeyError as error:
                    print(f"# {error}")
                    row.append(0)
            observed.setdefault(endpoint, {})[method] = tuple(row)
            db.session.remove()
        keeper.close()
    return observed


def format_table(rows: dict[str, dict[str, tuple[int, ...]]]) -> str:
    """The MATRIX literal for ``rows``, grouped by blueprint, one aligned line per method."""

    def order(endpoint):
        base, _sep, variant = endpoint.partition("@")
        return base.split(".")[0], base, variant

    lines = ["MATRIX: dict[str, dict[str, tuple[int, ...]]] = {",
             "    # endpoint[@variant]                          method    anon  read  lead l.oth  cons c.oth  dire admin board comm"]
    blueprint = None
    for endpoint in sorted(rows, key=order):
        if endpoint.split(".")[0] != blueprint:
            blueprint = endpoint.split(".")[0]
            lines.append(f"    # --- {blueprint} " + "-" * (90 - len(blueprint)))
        methods = sorted(rows[endpoint], key=lambda m: (m != "GET", m))
        cells = [f'{chr(34) + m + chr(34) + ":":<7} ({", ".join(f"{v:>4}" for v in rows[endpoint][m])})' for m in methods]
        name = f'"{endpoint}":'
        for i, cell in enumerate(cells):
            head = f"    {name:<47} {{" if i == 0 else " " * 53
            tail = "}," if i == len(cells) - 1 else ","
            lines.append(head + cell + tail)
    lines.append("}")
    return "\n".join(lines)


if __name__ == "__main__":
    observed = observe()
    for endpoint, methods in observed.items():
        for method, row in methods.items():
            known = MATRIX.get(endpoint, {}).get(method)
            if known is not None and known != row:
                print(f"# CHANGED {endpoint} {method}: pinned {known}, now {row}")
    print(format_table(observed))


def _int_arguments(rule) -> list[str]:
    from werkzeug.routing import IntegerConverter

    return [name for name, c in rule._converters.items() if isinstance(c, IntegerConverter)]


INT_ROUTES = sorted({
    (rule.endpoint, "GET" if "GET" in rule.methods else "POST")
    for rule in _APP.url_map.iter_rules()
    if _int_arguments(rule)
})


@pytest.mark.parametrize("too_big", [2**31, 10**20], ids=["beyond-int4", "beyond-int8"])
def test_ids_beyond_what_the_database_holds_are_not_found(keeper, too_big):
    """/maal/99999999999 is a 404 for everyone, not a database error (500)."""
    world = keeper.fresh()
    client = keeper.app.test_client()
    sign_in(client, world.user("admin"))
    wrong = []
    for endpoint, method in INT_ROUTES:
        rule = next(keeper.app.url_map.iter_rules(endpoint))
        url = url_for_endpoint(keeper.app, endpoint, world, **{name: too_big for name in _int_arguments(rule)})
        response = client.open(url, method=method)
        keeper.after(method, response)
        # 405 where a GET and a POST share the path: werkzeug then refuses the method first.
        if response.status_code not in (404, 405) or (method == "GET" and response.status_code != 404):
            wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, wrong
