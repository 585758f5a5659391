#include "task/DocumentTables.h"

namespace collab::task::documents {

const std::vector<Topic>& topics() {
  static const std::vector<Topic> all = {
      {"announcement", "the new on-call rotation", {"it starts on March 3", "shifts last one week", "swaps go through #oncall"},
       {"Everyone gets a predictable week and time off between shifts.", "The schedule is in the shared calendar.", "Questions are welcome at any time."}},
      {"announcement", "the office move", {"we move on June 14", "the new address is 12 Harbour Street", "desks must be packed by Friday"},
       {"Boxes and labels are at the front desk.", "IT will reconnect every workstation.", "Parking is free for the first month."}},
      {"invitation", "the summer party", {"it is on July 20 at 6 pm", "it takes place in the rooftop garden", "families are welcome"},
       {"There will be food, music and games.", "Please tell us about any dietary needs.", "Bring sunscreen and a good mood."}},
      {"reminder", "the quarterly security training", {"it is due by April 30", "it takes about 40 minutes", "it is on the learning portal"},
       {"Completion is tracked automatically.", "The training covers phishing and passwords.", "Ask the security team if you are stuck."}},
      {"announcement", "the library's new opening hours", {"it opens at 8 am on weekdays", "it closes at 9 pm from May", "Sunday hours are 10 to 4"},
       {"The reading room keeps its usual rules.", "Returns can be made at the outside box.", "Study rooms can be booked online."}},
      {"note", "the water outage", {"water is off on Tuesday from 9 to 1", "it affects buildings B and C", "drinking water is in the lobby"},
       {"The repair replaces an old main pipe.", "Please keep taps closed during the work.", "We apologise for the inconvenience."}},
      {"invitation", "the product launch", {"it is on September 9", "it streams live at 5 pm", "the first 100 guests get a demo unit"},
       {"The team will show the new features.", "A question session follows the talk.", "Registration takes one minute."}},
      {"announcement", "the volunteer day", {"it is on October 5", "we meet at the community garden", "lunch is provided"},
       {"Tasks include planting and painting.", "Gloves and tools are provided.", "Every pair of hands makes a difference."}},
      {"reminder", "the expense report deadline", {"reports are due on the 25th", "receipts must be attached", "late reports wait a month"},
       {"The finance team processes reports weekly.", "The form is on the intranet.", "Mileage uses the standard rate."}},
      {"note", "the new parking rules", {"permits are required from May 1", "visitor spaces are on level 2", "bikes go in the north shed"},
       {"Permits are free for staff.", "Cars without permits may be towed.", "The rules keep spaces fair for everyone."}},
      {"announcement", "the mentoring programme", {"applications close on February 10", "each pairing lasts six months", "mentors meet mentees monthly"},
       {"The programme is open to every level.", "Past participants loved it.", "Matching considers goals and interests."}},
      {"invitation", "the charity run", {"it starts at 9 am on May 18", "the route is 5 kilometres", "all money goes to the children's hospital"},
       {"Walkers are welcome too.", "Water stations are along the route.", "Team shirts are available."}},
      {"reminder", "the annual health check", {"bookings open on March 1", "appointments take 20 minutes", "the clinic is on the ground floor"},
       {"The check is free and confidential.", "Results come by email.", "Please bring your staff card."}},
      {"announcement", "the new coffee machine", {"it arrives on Monday", "it makes oat milk drinks", "cups must be rinsed after use"},
       {"The old machine goes to the workshop.", "A short guide hangs beside it.", "Suggestions for beans are welcome."}},
      {"note", "the server maintenance", {"it runs on Saturday from 1 to 5 am", "email will be unavailable", "no action is needed"},
       {"The update improves speed and security.", "Status updates will be posted.", "The helpdesk is on call."}},
      {"invitation", "the book club", {"it meets on the first Thursday", "the first book is Dune", "meetings are in room 204"},
       {"Tea and biscuits are provided.", "Newcomers are always welcome.", "We vote on the next book together."}},
  };
  return all;
}

const std::vector<Tone>& tones() {
  static const std::vector<Tone> all = {
      {"friendly",
       {"Hi {audience}!", "Hello {audience}!"},
       {"Quick news about {subject}: {fact}.", "Good news about {subject}: {fact}."},
       {"Thanks, and see you soon!", "Thanks so much, everyone!"}},
      {"formal",
       {"Dear {audience},", "To {audience},"},
       {"We would like to inform you about {subject}: {fact}.", "Please note the following regarding {subject}: {fact}."},
       {"Kind regards.", "With best regards."}},
      {"playful",
       {"Hey there, {audience}!", "Guess what, {audience}?"},
       {"Drumroll for {subject}: {fact}!", "Big news on {subject}: {fact}!"},
       {"Stay awesome!", "Catch you later!"}},
      {"urgent",
       {"Attention {audience}:", "Important for {audience}:"},
       {"Action needed on {subject}: {fact}.", "Please read now about {subject}: {fact}."},
       {"Thank you for acting promptly.", "Please act today."}},
  };
  return all;
}

const std::vector<std::string>& audiences() {
  static const std::vector<std::string> all = {"the backend team", "all customers", "new students", "our neighbours",
                                               "the board",        "volunteers",    "the sales team", "parents"};
  return all;
}

const std::vector<Length>& lengths() {
  static const std::vector<Length> all = {{"short", 1, "Keep it short, two or three sentences."},
                                          {"medium", 2, "A medium length is fine, about four sentences."},
                                          {"long", 3, "It can be long, with all the details."}};
  return all;
}

} // namespace collab::task::documents
