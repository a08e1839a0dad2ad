//! A program's team on one records repository: a shared copy (a bare
//! repository, as on the program's server) and two coordinators' clones,
//! each syncing with `casepaper sync` as they would from the desk.

use crate::common::team::{shared_head, team};
use crate::common::{BIN, Test};

const STAFF_A: &str = "  - id: abrown\n    name: Ana Brown\n    credential: M.S.\n    \
                       discipline: Physical therapy\n    phone: (860) 555-0181\n";
const STAFF_B: &str = "  - id: cdiaz\n    name: Carlos Díaz\n    credential: M.S.W.\n    \
                       discipline: Social work\n    phone: (860) 555-0182\n";
const FREQUENCY: &str = "    frequency: {times: 1, per: week}\n    intensity: individual\n    minutes: 60\n    method: home-visit\n    location: Hogar de la abuela";
const PLAN: &str = "records/ct-2026-0058/plan.yaml";

#[test]
fn two_coordinators_sync_notes_staff_and_a_reassigned_case_and_nothing_is_lost() {
    let test = Test::empty();
    let (shared, natalia, marisol) = team(&test);

    // Natalia, at the office: a note, a new staff member, the case of the
    // Castellano family taken over from Marisol, and the speech therapy
    // twice a week.
    let note_a = natalia.note(
        "ct-2026-0058",
        "2026-12-08",
        "Llamada de la mañana.",
        "nvega",
    );
    assert_eq!(
        note_a,
        "records/ct-2026-0058/contacts-2026-12-08-nvega.yaml"
    );
    natalia.edit(
        "records/program.yaml",
        "  - id: jokafor\n",
        &format!("{STAFF_A}  - id: jokafor\n"),
    );
    natalia.edit(
        "records/ct-2026-0102/case.yaml",
        "coordinator: mlopez\n",
        "coordinator: nvega\ncoordinator_since: 2026-12-08\n",
    );
    natalia.edit(PLAN, FREQUENCY, &FREQUENCY.replace("times: 1", "times: 2"));

    // Without a message, nothing is committed or sent.
    let (status, said) = natalia.sync(None);
    assert_eq!(status, 1, "{said}");
    assert_eq!(
        said,
        "not synced: 4 record files are changed and not committed yet (records/ct-2026-0058/contacts-2026-12-08-nvega.yaml, \
         records/ct-2026-0058/plan.yaml, records/ct-2026-0102/case.yaml, records/program.yaml); a sync commits them \
         first, with a few words on what changed\ngive them with --message \"...\"\n"
    );
    let (status, said) = natalia.sync(Some("Natalia's Monday"));
    assert_eq!(status, 0, "{said}");
    let sent = natalia.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        said,
        format!(
            "synced: committed the changed records ({}), sent 1 commit to the shared copy; this computer and the \
             shared copy now hold the same records\n",
            &sent[..10]
        )
    );
    assert_eq!(shared_head(&shared), sent);

    // Marisol, offline at a home visit the same day: a note for the same
    // case, another staff member, a note for the family she no longer
    // coordinates, and the speech therapy three times a week.
    let note_b = marisol.note(
        "ct-2026-0058",
        "2026-12-08",
        "Visita con la abuela.",
        "nvega",
    );
    assert_eq!(
        note_b, note_a,
        "the same day and coordinator name the same file"
    );
    marisol.edit(
        "records/program.yaml",
        "  - id: jokafor\n",
        &format!("{STAFF_B}  - id: jokafor\n"),
    );
    let late = "  - {date: 2026-12-09, minutes: 30, type: visit, participants: [Teresa Castellano (mother)], \
                summary: Brought the questionnaire., signed: {by: mlopez, on: 2026-12-09}}\n";
    let contacts_0102 = "records/ct-2026-0102/contacts.yaml";
    marisol.write(contacts_0102, &(marisol.read(contacts_0102) + late));
    marisol.edit(PLAN, FREQUENCY, &FREQUENCY.replace("times: 1", "times: 3"));
    marisol.git(&["remote", "set-url", "origin", "../unreachable.git"]);
    let (status, said) = marisol.sync(Some("Marisol's visits"));
    assert_eq!(status, 1, "{said}");
    let kept = marisol.git(&["rev-parse", "HEAD"]);
    assert!(
        said.starts_with(
            "not synced: the changed records were committed; the shared copy could not be reached ("
        ),
        "{said}"
    );
    assert!(
        said.ends_with(
            "); nothing is lost: 1 commit waits on this computer and goes at the next sync\n"
        ),
        "{said}"
    );

    // Back online: the notes, the staff and the reassignment join; the
    // frequency, changed two ways, is hers to choose.
    marisol.git(&["remote", "set-url", "origin", "../shared.git"]);
    let (status, said) = marisol.sync(None);
    assert_eq!(status, 1, "{said}");
    assert_eq!(
        said,
        "not synced: two people changed the same thing in records/ct-2026-0058/plan.yaml: choose what is right on \
         the desk's Sync page, which shows both versions side by side (or, in an editor, keep the right lines \
         between `<<<<<<<`, `=======` and `>>>>>>>` and remove those three lines), then sync again; nothing was \
         sent\n"
    );
    assert_eq!(shared_head(&shared), sent, "nothing was sent");
    let plan = marisol.read(PLAN);
    let conflict = "<<<<<<< HEAD\n    frequency: {times: 3, per: week}\n=======\n    \
                    frequency: {times: 2, per: week}\n>>>>>>> origin/main\n";
    assert!(plan.contains(conflict), "{plan}");
    // Two notes, Marisol's first, then Natalia's from the shared copy.
    assert_eq!(
        marisol.read(&note_a),
        "kind: contacts\nversion: 1\nnotes:\n  - date: 2026-12-08\n    minutes: 15\n    type: phone\n    \
         participants: [Lucía Ortega (madre)]\n    summary: Visita con la abuela.\n    signed: {by: nvega, on: 2026-12-08}\n  \
         - date: 2026-12-08\n    minutes: 15\n    type: phone\n    participants: [Lucía Ortega (madre)]\n    \
         summary: Llamada de la mañana.\n    signed: {by: nvega, on: 2026-12-08}\n"
    );
    let program = marisol.read("records/program.yaml");
    assert!(
        program.contains(&format!("{STAFF_B}{STAFF_A}  - id: jokafor\n")),
        "{program}"
    );

    // She keeps twice a week, as agreed with Natalia.
    marisol.write(
        PLAN,
        &plan.replace(conflict, "    frequency: {times: 2, per: week}\n"),
    );
    let (status, said) = marisol.sync(None);
    assert_eq!(status, 1, "{said}");
    assert_eq!(
        said,
        "records/ct-2026-0102/contacts.yaml:9:140: error[note-signed]: the note of December 9, 2026 is signed by \
         Marisol Lopez, but the case's coordinator since December 8, 2026 is `nvega`; contact notes are signed by \
         the family's service coordinator\n\
         not synced: the records joined with the shared copy's changes have 1 error that neither copy had \
         alone (above), so nothing was sent; mend the records on the desk or in the files, then sync again (the \
         joined records stay here until then)\n"
    );
    assert_eq!(shared_head(&shared), sent, "nothing was sent");

    // The visit was Natalia's, handed over that morning: she signs it.
    marisol.edit(
        contacts_0102,
        "signed: {by: mlopez, on: 2026-12-09}",
        "signed: {by: nvega, on: 2026-12-09}",
    );
    let (status, said) = marisol.sync(None);
    assert_eq!(status, 0, "{said}");
    assert_eq!(
        said,
        "synced: sent 2 commits to the shared copy; this computer and the shared copy now hold the same records\n"
    );
    let joined = marisol.git(&["rev-parse", "HEAD"]);
    assert_eq!(shared_head(&shared), joined);
    assert_eq!(
        marisol.git(&["rev-parse", "HEAD^1"]),
        kept,
        "her commit is kept"
    );
    assert_eq!(marisol.git(&["rev-parse", "HEAD^2"]), sent, "and Natalia's");

    let (status, said) = natalia.sync(None);
    assert_eq!(status, 0, "{said}");
    assert_eq!(
        said,
        "synced: took 2 commits from the shared copy; this computer and the shared copy now hold the same records\n"
    );
    assert_eq!(natalia.git(&["rev-parse", "HEAD"]), joined);

    // Every note written exists once, in both clones; the records validate.
    for clone in [&natalia, &marisol] {
        let notes = clone.read(&note_a) + &clone.read(contacts_0102);
        for summary in [
            "Llamada de la mañana.",
            "Visita con la abuela.",
            "Brought the questionnaire.",
        ] {
            assert_eq!(notes.matches(summary).count(), 1, "{summary}");
        }
        assert!(clone.git(&["status", "--porcelain"]).is_empty());
        let out = clone
            .command(BIN)
            .args(["validate", "records"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_join_committed_on_the_changes_page_is_held_to_the_same_bar_before_it_is_sent() {
    use crate::common::web::Server;
    let test = Test::empty();
    let (shared, natalia, marisol) = team(&test);
    natalia.edit(
        "records/ct-2026-0102/case.yaml",
        "coordinator: mlopez\n",
        "coordinator: nvega\ncoordinator_since: 2026-12-08\n",
    );
    assert_eq!(
        natalia.sync(Some("Natalia takes the Castellano family")).0,
        0
    );
    let sent = shared_head(&shared);
    let contacts = "records/ct-2026-0102/contacts.yaml";
    let late = "  - {date: 2026-12-09, minutes: 30, type: visit, participants: [Teresa Castellano (mother)], \
                summary: Brought the questionnaire., signed: {by: mlopez, on: 2026-12-09}}\n";
    marisol.write(contacts, &(marisol.read(contacts) + late));
    let (status, said) = marisol.sync(Some("The questionnaire"));
    assert_eq!(status, 1, "{said}");
    assert!(said.contains("error[note-signed]"), "{said}");

    // The desk's Changes page commits what is there: the join with it.
    let server = Server::start_in(&marisol.dir, "2026-12-10");
    let committed = server.post("/changes", &[("message", "Joined by hand")]);
    assert_eq!(committed.status, 303, "{}", committed.text());
    assert_eq!(
        marisol.git(&["rev-parse", "HEAD^2"]),
        sent,
        "the join is committed"
    );
    assert_eq!(marisol.git(&["log", "-1", "--format=%s"]), "Joined by hand");

    // It is not sent while it breaks what neither side broke.
    let error = "records/ct-2026-0102/contacts.yaml:9:140: error[note-signed]: the note of December 9, 2026 is \
                 signed by Marisol Lopez, but the case's coordinator since December 8, 2026 is `nvega`; contact \
                 notes are signed by the family's service coordinator\n";
    let (status, said) = marisol.sync(None);
    assert_eq!(status, 1, "{said}");
    assert_eq!(
        said,
        format!(
            "{error}not synced: this computer's commits have 1 error the shared copy does not have (above), so \
             nothing was sent; mend the records on the desk or in the files, then sync again with a few words on what \
             you mended\n"
        )
    );
    assert_eq!(shared_head(&shared), sent);

    // A commit made by hand with an error of its own is held back too.
    marisol.edit(
        contacts,
        "signed: {by: mlopez, on: 2026-12-09}",
        "signed: {by: nvega, on: 2026-12-09}",
    );
    marisol.edit(
        "records/ct-2026-0102/case.yaml",
        "referral_date:",
        "referal_date:",
    );
    marisol.git(&["commit", "--quiet", "-am", "By hand"]);
    let (status, said) = marisol.sync(None);
    assert_eq!(status, 1, "{said}");
    assert!(
        said.starts_with("records/ct-2026-0102/case.yaml:"),
        "{said}"
    );
    assert!(
        said.ends_with(
            "not synced: this computer's commits have 2 errors the shared copy does not have (above), so \
             nothing was sent; mend the records on the desk or in the files, then sync again with a few words on what \
             you mended\n"
        ),
        "{said}"
    );
    marisol.edit(
        "records/ct-2026-0102/case.yaml",
        "referal_date:",
        "referral_date:",
    );
    let (status, said) = marisol.sync(Some("The referral date's name"));
    assert_eq!(status, 0, "{said}");
    assert_eq!(shared_head(&shared), marisol.git(&["rev-parse", "HEAD"]));
}
