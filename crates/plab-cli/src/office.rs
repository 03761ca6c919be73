//! `plab office add|remove|list`: who an administrator named to the program
//! office (sponsors of two or more programs belong to it without a name).
use crate::args::OfficeCmd;
use crate::output::print_json;
use crate::{Failure, out};
use plab_app::{Store, office};

pub(crate) async fn office_cmd(store: &Store, cmd: OfficeCmd) -> Result<(), Failure> {
    match cmd {
        OfficeCmd::Add { employee_id } => {
            office::set_member_as_operator(store, &employee_id, true).await?;
            eprintln!("{} is in the program office: they read the lab report over every program", employee_id.trim());
            Ok(())
        }
        OfficeCmd::Remove { employee_id } => {
            if !office::set_member_as_operator(store, &employee_id, false).await? {
                return Err(Failure::User(format!(
                    "--employee-id: {} was not named to the program office",
                    employee_id.trim()
                )));
            }
            eprintln!("{} is no longer named to the program office", employee_id.trim());
            Ok(())
        }
        OfficeCmd::List { json } => {
            let members = office::members_unchecked(store).await?;
            if json {
                return print_json(&members);
            }
            if members.is_empty() {
                eprintln!("nobody is named to the program office");
            }
            for m in members {
                out!("{}\t{}\tnamed by {} on {}", m.employee_id, m.name, m.named_by, m.named_at);
            }
            Ok(())
        }
    }
}
