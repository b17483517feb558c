"""Built-in word lists of the simulation: names, free-text answers, ticket texts.

Fictional names for a UK/Dutch logistics company. E-mail addresses are built
from them as ``firstname.lastname@northwind.example`` (the ``.example`` domain is
reserved, so no real mailbox is ever named). Phone numbers use Ofcom's drama
range (07700 900000-900999), which is never assigned.
"""

from __future__ import annotations

EMAIL_DOMAIN = "northwind.example"
COMPANY_NAME = "Northwind Logistics"

FIRST_NAMES: tuple[str, ...] = (
    "Aisha",
    "Alex",
    "Amelia",
    "Ana",
    "Arjun",
    "Ben",
    "Bram",
    "Callum",
    "Chloe",
    "Daan",
    "Daniel",
    "Ella",
    "Emma",
    "Eva",
    "Fatima",
    "Finn",
    "Freya",
    "George",
    "Grace",
    "Hamza",
    "Hannah",
    "Harry",
    "Isla",
    "Jack",
    "James",
    "Jasmine",
    "Joost",
    "Kai",
    "Katie",
    "Lars",
    "Laura",
    "Leah",
    "Liam",
    "Lotte",
    "Lucy",
    "Maya",
    "Megan",
    "Mohammed",
    "Nadia",
    "Niamh",
    "Noah",
    "Oliver",
    "Olivia",
    "Omar",
    "Priya",
    "Rachel",
    "Rhys",
    "Rosa",
    "Ryan",
    "Sam",
    "Sanne",
    "Sara",
    "Sean",
    "Sophie",
    "Thomas",
    "Tom",
    "Wei",
    "Yusuf",
    "Zara",
    "Zoe",
)

LAST_NAMES: tuple[str, ...] = (
    "Ahmed",
    "Bakker",
    "Begum",
    "Bennett",
    "Brown",
    "Campbell",
    "Chen",
    "Clarke",
    "Collins",
    "Davies",
    "de Jong",
    "de Vries",
    "Dekker",
    "Evans",
    "Green",
    "Hall",
    "Harris",
    "Hughes",
    "Hussain",
    "Jansen",
    "Johnson",
    "Jones",
    "Kaur",
    "Khan",
    "King",
    "Kowalski",
    "Lee",
    "Lewis",
    "Martin",
    "Mensah",
    "Meyer",
    "Mitchell",
    "Moore",
    "Murphy",
    "Nguyen",
    "O'Brien",
    "Okafor",
    "Patel",
    "Price",
    "Roberts",
    "Robinson",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "van Dijk",
    "Visser",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
    "Zhang",
    "Smit",
)

CONTRACTOR_FIRST_NAMES: tuple[str, ...] = ("Bogdan", "Ines", "Kofi", "Marta", "Pavel", "Tariq", "Ugo", "Yara")
CONTRACTOR_LAST_NAMES: tuple[str, ...] = ("Almeida", "Dimitrov", "Ferreira", "Novak", "Osei", "Popescu", "Rossi")

UNKNOWN_USAGE_EMAILS: tuple[str, ...] = (
    "svc.ai-gateway@northwind.example",
    "ai.pilot.test@northwind.example",
    "ingrid.halvorsen@northwind.example",
    "temp.ops04@northwind.example",
    "r.castellanos@partner.northwind.example",
)

FREE_TEXT_ANSWERS: tuple[str, ...] = (
    "Access to our shipment tracking data, so I don't have to paste it in by hand.",
    "It should remember the reply templates our team already uses.",
    "Better answers for non-standard cases, e.g. damaged goods, split deliveries, customs holds.",
    "More training. The one session we had was too short.",
    "Connect it to the TMS. Right now I copy screenshots into the chat.",
    "Honestly, I don't trust it with customer data yet.",
    "If it could read the PDFs from carriers it would save me hours.",
    'It gives a "confident" answer even when the record is incomplete.',
    "Faster responses in the afternoon, it is very slow after lunch.",
    "Examples of good prompts for my role\nand a place to share them.",
    "Nothing, it works well for me.",
    "Clear rules on what we are allowed to use it for",
    "Integration with Outlook and Teams",
    "Support that answers within the day. My ticket was open for two weeks.",
    "Less guessing on contract terms, it invented a clause once.",
    "Dutch language support for the Rotterdam office",
    "A way to flag wrong answers, so someone actually fixes them.",
    "Time to learn it. We are measured on handling time, so I can't experiment.",
    'Stop calling it "the bot" in the training, people switch off.',
    "Not sure yet",
)

FREE_TEXT_WITH_EMAIL: tuple[str, ...] = (
    "Ask {email} for the prompts they used in the pilot, they work much better than ours.",
    "Give us the same set-up as IT. {email} has a version that reads invoices.",
    "Someone like {email} who can sit with our team for a day, and show us.",
)

FREE_TEXT_WITH_PHONE = (
    "A hotline. I called the service desk on 07700 900418 three times, nobody knew about the assistant."
)

BUILD_TEAM_AGENTS: tuple[str, ...] = ("Ravi Menon", "Hannah Okafor", "Tomasz Nowak")
SERVICE_DESK_AGENTS: tuple[str, ...] = ("Grace Liu", "Sean Byrne", "Amara Nwosu", "Lukas Weber", "Mia Jansen")

TICKET_SUMMARIES: dict[str, tuple[str, ...]] = {
    "Question": (
        "How do I get the assistant to use our reply templates?",
        "Can I paste customer data into the assistant?",
        "Assistant answers in English when I write in Dutch",
        "Best way to summarise a long case history?",
        "Is there a prompt library for {department}?",
    ),
    "Bug": (
        "Assistant cuts off long answers",
        "Copy button does not work in Edge",
        "Shipment numbers are changed in the summary",
        "Attachment upload fails for PDF files",
    ),
    "Access request": (
        "Access to the AI assistant for new starter",
        "Cannot log in with SSO after password change",
        "Please add me to the assistant licence group",
    ),
    "Incident": (
        "Assistant unavailable since this morning",
        "Very slow responses, timeouts for the whole team",
        "TMS connector returns errors",
    ),
}

TICKET_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "Question": (
        "Hi, I am in {team}, we handle a lot of repeat requests. Is there a way to save prompts, "
        "or do I have to type them every time?",
        "When a record is incomplete, missing a delivery date for example, the assistant still "
        "gives a full answer. Should we trust it?\nThanks",
        "Our manager asked us to use the assistant for {task}, but nobody showed us how.",
    ),
    "Bug": (
        "Steps: open the assistant, paste a case, ask for a summary. Result: the reference "
        "number is different from the one in the case, every time.",
        "Since the update the answer stops halfway, after about 300 words.\nScreenshot attached.",
        'Upload of a carrier PDF fails with "file type not supported", the file is a normal PDF.',
    ),
    "Access request": (
        "New colleague in {team} needs access, start date Monday. Manager approval attached.",
        "I changed my password yesterday, since then SSO loops back to the login page.",
    ),
    "Incident": (
        "Nobody in {team} can reach the assistant, error 503. Started around 9:00.",
        "Responses take over a minute, some time out. Affects the whole floor, not just me.",
    ),
}

TICKET_DESCRIPTION_WITH_EMAIL = (
    "Please give the same access as {email}, we work on the same accounts, and they have the integration enabled."
)

LABELS_BY_ISSUE_TYPE: dict[str, tuple[str, ...]] = {
    "Question": ("prompting", "training", "data-quality"),
    "Bug": ("data-quality", "integration", "prompting"),
    "Access request": ("access", "onboarding"),
    "Incident": ("outage", "integration", "performance"),
}
