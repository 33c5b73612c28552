"""Business prose the wording channel's variant lists were not written for (the leak bench's second corpus).

Hand-written paragraphs of the kinds of brief an expert receives: equity and market research,
consulting, legal review, medical and regulatory writing, finance, HR, IT and procurement, in
English and Danish. They were written before the variant lists were last extended and are not
built from the template sentences in ``leak_trace.py``; a paragraph's wording is whatever a writer
of such a brief would use, so the channel finds only the choice points ordinary prose happens to
hold.
"""

from __future__ import annotations

EN_PROSE: tuple[str, ...] = (
    "The company reported net sales of EUR 412 million for the first half, up 7.4 % on the same "
    "period last year. Growth came mainly from the industrial segment, while consumer products were "
    "flat. Management reiterated its full-year guidance but warned that freight costs remain volatile "
    "and that the second half will depend on the timing of two large orders from Germany.",
    "We have reviewed the supply agreement dated 14 February 2024 between the client and its main "
    "component supplier. The agreement may be terminated by either party on six months' written "
    "notice, and there is no minimum purchase obligation. However, clause 11.3 gives the supplier a "
    "right to increase prices once a year if its raw material costs rise by more than 5 %.",
    "The trial enrolled 248 patients across 19 sites in four countries. The primary endpoint was the "
    "change in HbA1c from baseline to week 26. Patients in the treatment arm showed a mean reduction "
    "of 1.2 percentage points compared with 0.4 in the placebo arm, and the difference was "
    "statistically significant. The most common adverse events were nausea and headache.",
    "Our interviews with twelve hospital procurement managers suggest that price is no longer the "
    "deciding factor. Most of them now ask for evidence of lower total cost over the life of the "
    "device, including training, maintenance and disposal. Several said that they would accept a "
    "higher unit price if the supplier could guarantee delivery within 48 hours.",
    "The target operating model separates the front office, which owns the client relationship, from "
    "a shared service centre that handles onboarding, billing and reporting. We estimate that this "
    "structure would free up around 30 full-time equivalents, but only if the legacy CRM system is "
    "replaced first. Without that change the savings fall to fewer than ten positions.",
    "Please note that the figures in this draft have not yet been audited. The valuation of the "
    "property portfolio is based on the external appraiser's report from last December, and the "
    "final numbers may change once the auditors have completed their review. Any questions about "
    "the methodology should be directed to the finance team rather than to the appraiser.",
    "The data protection impact assessment identified three high risks. First, health data is stored "
    "in a cloud region outside the EU without a documented transfer mechanism. Second, access logs "
    "are kept for only 30 days. Third, the vendor's sub-processors are not listed in the contract. "
    "Each risk needs an owner and a deadline before the system goes live.",
    "Market research indicates that demand for electric heat pumps in Scandinavia doubled between "
    "2021 and 2023, driven by high energy prices and generous subsidies. We expect growth to slow "
    "as subsidies are phased out, but the installed base will continue to create demand for "
    "servicing and spare parts for many years. This aftermarket is where margins are highest.",
    "The employee survey had a response rate of 81 per cent. Engagement scores were stable overall, "
    "but they dropped sharply in the customer service department, where staff reported unclear "
    "priorities and too many systems. We suggest that the leadership team holds follow-up sessions "
    "with each team before the end of the quarter and reports back on concrete actions.",
    "Under the proposed amendment, the licensee would be allowed to sublicense the software to its "
    "affiliates without the licensor's prior consent. We recommend rejecting this change or, as a "
    "minimum, limiting it to wholly owned subsidiaries and requiring the licensee to remain liable "
    "for any breach committed by a sublicensee. The indemnity in clause 9 should be extended accordingly.",
    "Patients with moderate renal impairment should receive half the standard dose, and the drug "
    "should not be used in patients on dialysis. Liver function must be monitored every four weeks "
    "during the first six months of treatment. If transaminase levels exceed three times the upper "
    "limit of normal, treatment should be interrupted until they return to baseline.",
    "The migration to the new ERP platform is now planned in three waves. Finance and procurement "
    "move first, in September, followed by warehouse management in January. Sales and customer "
    "service will migrate last, because their processes depend on integrations that the vendor has "
    "not yet delivered. Each wave ends with a two-week period of parallel running.",
    "In our view the business plan is too optimistic on customer acquisition. It assumes a "
    "conversion rate of 9 % from trial to paid subscription, whereas comparable companies report "
    "between 3 and 5 %. If we apply the lower figure, the company reaches break-even eighteen months "
    "later than planned and needs roughly DKK 40 million of additional funding.",
    "The tender documents require bidders to demonstrate at least three comparable contracts within "
    "the past five years, each with an annual value above EUR 2 million. Our client meets this "
    "requirement only if the contract with the regional health authority is counted, and that "
    "contract was signed by a subsidiary that has since been merged into the parent company.",
    "Interviews with former employees confirm that the sales team was paid mainly on new bookings, "
    "with no penalty for early cancellations. This may explain why churn in the first year of a "
    "contract is almost twice the industry average. A change in the commission plan is likely to "
    "reduce reported growth in the short term, but it should improve the quality of revenue.",
    "The clinical study report must be submitted together with the statistical analysis plan and "
    "all protocol amendments. The agency has asked for a separate summary of deaths and serious "
    "adverse events, with a narrative for each case. Translations of the patient information "
    "leaflet into the languages of the participating countries are also required.",
    "Our benchmarking covered fourteen listed peers in Europe and North America. On average they "
    "spend 4.1 % of revenue on IT, compared with 2.7 % at the client. The gap is largest in data and "
    "analytics, where the client relies on spreadsheets maintained by individual controllers. We do "
    "not think the gap should be closed in one year, but a multi-year plan is needed.",
    "The seller has disclosed an ongoing dispute with a former distributor in Poland, who claims "
    "damages of approximately EUR 3.5 million for wrongful termination. Local counsel considers the "
    "claim weak and expects a settlement well below that amount. We nonetheless recommend a "
    "specific indemnity in the share purchase agreement covering the full claim and legal costs.",
    "The new triage protocol reduced the average waiting time in the emergency department from 74 to "
    "52 minutes during the pilot. Nurses reported that the protocol was easy to use, although some "
    "felt that it did not reflect the needs of elderly patients with several conditions. The "
    "hospital board will decide in the spring whether to roll it out to all departments.",
    "Working capital has increased significantly over the past two years. Inventory days rose from "
    "61 to 88, mainly because the company built safety stocks during the supply chain disruptions, "
    "and these stocks have not yet been reduced. Releasing half of the excess inventory would "
    "generate cash of about EUR 15 million, which could be used to repay the revolving facility.",
    "The consultation paper proposes that all providers of investment advice should disclose their "
    "fees in a standard format before any contract is signed. Industry associations support the aim "
    "but argue that the proposed template is too complex for retail clients. The regulator is "
    "expected to publish final rules towards the end of next year, with a transition period.",
    "The patient is a 58-year-old man with a history of hypertension and type 2 diabetes who "
    "presented with chest pain that had lasted for two hours. His ECG showed ST elevation in the "
    "inferior leads, and he was taken directly to the catheter laboratory, where a stent was placed "
    "in the right coronary artery. He was discharged after four days without complications.",
    "Customer interviews point to three reasons for the recent loss of market share. The product "
    "range is seen as dated, delivery times are longer than those of competitors, and the web shop "
    "is difficult to use on a mobile phone. Price was mentioned by only a few customers, which "
    "suggests that a discount campaign would not address the underlying problem.",
    "The employment contract contains a non-compete clause that runs for twelve months after the "
    "employee leaves and covers the whole of the Nordic region. Under current law, such a clause is "
    "only valid if the employer pays compensation during the restricted period, and the contract "
    "does not mention any compensation. In our opinion the clause is unlikely to be enforceable.",
    "Energy consumption at the three production sites fell by 11 % last year, while output was "
    "unchanged. Most of the reduction came from replacing compressors and lighting at the largest "
    "site. The company now aims to cut its direct emissions by half by 2030, which will require "
    "switching the remaining gas-fired boilers to electricity or district heating.",
    "The project is currently two weeks behind schedule, mainly because test data from the client "
    "arrived late and was incomplete. We have agreed with the client's project manager to move the "
    "user acceptance test to the first week of November. The go-live date is unchanged, but there "
    "is now very little buffer left if further issues are found during testing.",
    "Consensus estimates for next year look too high to us. Analysts expect operating margins to "
    "recover to 14 %, but the company has already said that wage inflation will absorb most of the "
    "price increases it has announced. We lower our target price to 245 and keep our hold "
    "recommendation until there is clearer evidence of a turnaround in the retail business.",
    "The audit found that user access rights in the payroll system had not been reviewed for more "
    "than eighteen months. Several employees who had changed roles still had rights they no longer "
    "needed, and two accounts belonged to people who had left the company. Management has agreed to "
    "introduce quarterly reviews and to remove unused accounts automatically after 60 days.",
    "The summary of product characteristics has been updated to include a new warning about the "
    "risk of severe skin reactions. Healthcare professionals will receive a letter describing the "
    "change, and the patient leaflet will be revised at the next print run. No change to the "
    "indication or the recommended dose is proposed at this stage.",
    "Our survey of 1,200 small business owners shows that most of them still prefer to speak with a "
    "named adviser at their bank rather than use a chatbot. At the same time, younger owners expect "
    "to open accounts and apply for credit entirely online. Banks that want to serve both groups "
    "will need to combine digital self-service with easy access to a person.",
    "The lease for the head office expires in March 2027, and the landlord has offered a ten-year "
    "renewal at a rent that is 18 % above the current level. Alternative premises of a similar size "
    "are available in the same district at lower rents, but moving would cost about DKK 6 million "
    "in fit-out and relocation. We recommend negotiating a shorter renewal with a break option.",
    "Recruitment of experienced data engineers remains the main constraint on the programme. The "
    "client has filled only four of the ten positions it opened in the spring, and two of the new "
    "hires are still in their notice period. Until the team is complete, external consultants will "
    "cover the gap, which adds roughly EUR 80,000 per month to the budget.",
    "The board has asked for an independent review of the acquisition process after the write-down "
    "of goodwill in the fourth quarter. The review should cover how the target was identified, the "
    "quality of the due diligence, how synergies were estimated and how the integration was "
    "managed. Findings and recommendations are to be presented to the audit committee in June.",
    "According to the registry data, the five-year survival rate for patients diagnosed at an early "
    "stage has improved from 71 % to 83 % over the last decade. The improvement is largest among "
    "patients over 70, which probably reflects better access to screening and less invasive "
    "surgery. Survival for patients diagnosed at a late stage has changed very little.",
    "The warranty provisions in the draft are broadly in line with market practice, but the "
    "limitation period of six months for general warranty claims is short. We would normally expect "
    "eighteen to twenty-four months, with longer periods for tax and title. The de minimis threshold "
    "of EUR 50,000 per claim also seems high for a business of this size.",
    "Demand for the client's consulting services is closely linked to public sector budgets, which "
    "are set to tighten next year. Two municipalities have already postponed projects, and a third "
    "has reduced the scope of a framework agreement. We therefore expect revenue to fall slightly "
    "in the coming year before it recovers as delayed digitalisation projects are restarted.",
    "The vendor's security certification covers its data centres but not its support organisation, "
    "which is located in a third country and has remote access to customer environments. Before the "
    "contract is signed, the client should obtain a description of how support staff are vetted, "
    "how their access is logged and how quickly access can be revoked.",
    "Total compensation for the executive team increased by 23 % last year, well ahead of the "
    "company's earnings growth. Most of the increase came from a one-off retention award granted "
    "after the failed merger. Several large shareholders have said that they will vote against the "
    "remuneration report at the annual general meeting unless the award is explained.",
    "The literature review identified 37 studies that met the inclusion criteria, of which only nine "
    "were randomised controlled trials. Most of the studies were small and had a high risk of bias, "
    "and follow-up rarely exceeded one year. The evidence for long-term benefit is therefore weak, "
    "and we recommend that the guideline group rates the recommendation as conditional.",
    "Freight rates on the main Asia to Europe routes have fallen back close to pre-pandemic levels. "
    "For the client this means that the higher landed costs built into this year's budget are no "
    "longer realistic, and gross margins should be somewhat better than planned. Procurement should "
    "use the current market to renegotiate the contracts that expire in the first quarter.",
    "The franchise agreement gives the franchisor the right to audit the franchisee's accounts once "
    "a year with ten business days' notice. The franchisee must keep records for at least five "
    "years and provide monthly sales reports by the tenth day of the following month. Late reports "
    "trigger a fixed penalty, and repeated breaches allow the franchisor to terminate.",
    "Our model suggests that the planned price increase of 6 % would reduce volumes by roughly 2 %, "
    "so total revenue would still rise. The risk is greater in the discount segment, where customers "
    "compare prices online and loyalty is low. We propose testing the increase in two regions for "
    "eight weeks before it is applied across the whole country.",
    "Staff turnover in the nursing homes was 34 % last year, and sickness absence averaged 7.8 %. "
    "Exit interviews point to heavy workloads, irregular shifts and limited opportunities for "
    "professional development. The municipality plans to test fixed schedules and a mentoring "
    "programme for newly hired staff in two homes from the beginning of next year.",
)

DA_PROSE: tuple[str, ...] = (
    "Selskabet omsatte for 412 millioner euro i første halvår, hvilket er 7,4 % mere end i samme "
    "periode sidste år. Væksten kom primært fra industrisegmentet, mens forbrugerprodukter lå fladt. "
    "Ledelsen fastholder sin forventning til hele året, men advarer om, at fragtomkostningerne "
    "fortsat svinger, og at andet halvår afhænger af, hvornår to store ordrer fra Tyskland falder.",
    "Vi har gennemgået leveringsaftalen af 14. februar 2024 mellem klienten og dennes vigtigste "
    "underleverandør. Aftalen kan opsiges af begge parter med seks måneders skriftligt varsel, og "
    "der er ingen forpligtelse til at aftage en bestemt mængde. Punkt 11.3 giver dog leverandøren "
    "ret til at hæve priserne én gang om året, hvis råvareomkostningerne stiger med mere end 5 %.",
    "Forsøget omfattede 248 patienter fordelt på 19 centre i fire lande. Det primære endepunkt var "
    "ændringen i HbA1c fra baseline til uge 26. Patienterne i behandlingsgruppen fik et gennemsnitligt "
    "fald på 1,2 procentpoint mod 0,4 i placebogruppen, og forskellen var statistisk signifikant. De "
    "hyppigste bivirkninger var kvalme og hovedpine.",
    "Vores interview med tolv indkøbschefer på hospitaler tyder på, at prisen ikke længere er det "
    "afgørende. De fleste spørger nu efter dokumentation for lavere samlede omkostninger over "
    "udstyrets levetid, herunder oplæring, vedligeholdelse og bortskaffelse. Flere sagde, at de gerne "
    "betaler en højere stykpris, hvis leverandøren kan garantere levering inden for 48 timer.",
    "Den nye driftsmodel adskiller frontområdet, som ejer kunderelationen, fra et fælles "
    "servicecenter, der står for oprettelse, fakturering og rapportering. Vi skønner, at modellen "
    "kan frigøre omkring 30 årsværk, men kun hvis det gamle CRM-system udskiftes først. Uden den "
    "ændring falder besparelsen til under ti stillinger.",
    "Bemærk, at tallene i dette udkast endnu ikke er revideret. Værdiansættelsen af "
    "ejendomsporteføljen bygger på valuarens rapport fra december sidste år, og de endelige tal kan "
    "ændre sig, når revisorerne har afsluttet deres gennemgang. Spørgsmål om metoden skal rettes til "
    "økonomiafdelingen og ikke til valuaren.",
    "Konsekvensanalysen vedrørende databeskyttelse pegede på tre høje risici. For det første "
    "opbevares helbredsoplysninger i en cloudregion uden for EU uden et dokumenteret "
    "overførselsgrundlag. For det andet gemmes adgangslogge kun i 30 dage. For det tredje er "
    "leverandørens underdatabehandlere ikke nævnt i kontrakten. Hver risiko skal have en ejer og en frist.",
    "Markedsanalysen viser, at efterspørgslen efter elektriske varmepumper i Skandinavien blev "
    "fordoblet fra 2021 til 2023, drevet af høje energipriser og gavmilde tilskud. Vi venter, at "
    "væksten aftager, når tilskuddene udfases, men de installerede anlæg vil i mange år skabe "
    "efterspørgsel efter service og reservedele. Det er på eftermarkedet, at marginerne er højest.",
    "Medarbejderundersøgelsen havde en svarprocent på 81. Engagementet var samlet set stabilt, men "
    "det faldt markant i kundeservice, hvor medarbejderne oplevede uklare prioriteter og for mange "
    "systemer. Vi foreslår, at ledergruppen holder opfølgende møder med hvert team inden "
    "kvartalets udgang og melder tilbage om konkrete tiltag.",
    "Med den foreslåede ændring kan licenstageren give underlicens til koncernforbundne selskaber "
    "uden licensgivers forudgående samtykke. Vi anbefaler at afvise ændringen eller som minimum at "
    "begrænse den til helejede datterselskaber og kræve, at licenstageren hæfter for ethvert brud, "
    "som en underlicenstager begår. Skadesløsholdelsen i punkt 9 bør udvides tilsvarende.",
    "Patienter med moderat nedsat nyrefunktion skal have den halve standarddosis, og lægemidlet må "
    "ikke anvendes til patienter i dialyse. Leverfunktionen skal kontrolleres hver fjerde uge i de "
    "første seks måneder af behandlingen. Hvis transaminaserne overstiger tre gange den øvre "
    "normalgrænse, skal behandlingen afbrydes, indtil værdierne er normaliseret.",
    "Overgangen til den nye ERP-platform sker nu i tre bølger. Økonomi og indkøb flytter først, i "
    "september, og lagerstyring følger i januar. Salg og kundeservice flytter til sidst, fordi "
    "deres processer afhænger af integrationer, som leverandøren endnu ikke har leveret. Hver bølge "
    "afsluttes med to ugers parallel drift.",
    "Efter vores vurdering er forretningsplanen for optimistisk med hensyn til nye kunder. Den "
    "forudsætter, at 9 % af prøvebrugerne går over til et betalt abonnement, mens sammenlignelige "
    "virksomheder ligger på mellem 3 og 5 %. Bruger vi det lavere tal, når selskabet break-even "
    "atten måneder senere end planlagt og har brug for cirka 40 mio. kr. i yderligere kapital.",
    "Udbudsmaterialet kræver, at tilbudsgiverne kan dokumentere mindst tre sammenlignelige kontrakter "
    "inden for de seneste fem år, hver med en årlig værdi på over 15 mio. kr. Vores klient opfylder "
    "kun kravet, hvis kontrakten med regionen medregnes, og den blev indgået af et datterselskab, "
    "der siden er fusioneret ind i moderselskabet.",
    "Samtaler med tidligere medarbejdere bekræfter, at salgsstyrken primært blev aflønnet for nye "
    "ordrer uden fradrag for tidlige opsigelser. Det kan forklare, hvorfor kundeafgangen i "
    "kontrakternes første år er næsten dobbelt så høj som i branchen. En ændret provisionsordning vil "
    "sandsynligvis mindske den rapporterede vækst på kort sigt, men forbedre omsætningens kvalitet.",
    "Den kliniske forsøgsrapport skal indsendes sammen med den statistiske analyseplan og alle "
    "protokolændringer. Myndigheden har bedt om en særskilt oversigt over dødsfald og alvorlige "
    "hændelser med en beskrivelse af hvert enkelt tilfælde. Der kræves også oversættelser af "
    "indlægssedlen til sprogene i de deltagende lande.",
    "Vores benchmarking omfattede fjorten børsnoterede konkurrenter i Europa og Nordamerika. De "
    "bruger i gennemsnit 4,1 % af omsætningen på it mod 2,7 % hos klienten. Forskellen er størst på "
    "data og analyse, hvor klienten bygger på regneark, som de enkelte controllere vedligeholder. Vi "
    "mener ikke, at forskellen skal lukkes på ét år, men der er brug for en flerårig plan.",
    "Sælger har oplyst om en verserende tvist med en tidligere distributør i Polen, som kræver "
    "erstatning på omkring 26 mio. kr. for uberettiget opsigelse. Den lokale advokat vurderer kravet "
    "som svagt og forventer et forlig langt under beløbet. Vi anbefaler alligevel en specifik "
    "skadesløsholdelse i aktiekøbsaftalen, der dækker hele kravet og sagsomkostningerne.",
    "Den nye visitationsprotokol nedbragte den gennemsnitlige ventetid i akutmodtagelsen fra 74 til "
    "52 minutter i forsøgsperioden. Sygeplejerskerne fandt protokollen let at bruge, selv om nogle "
    "mente, at den ikke tog højde for ældre patienter med flere sygdomme. Hospitalsledelsen beslutter "
    "i foråret, om protokollen skal udbredes til alle afdelinger.",
    "Arbejdskapitalen er steget betydeligt over de seneste to år. Lagerdagene gik fra 61 til 88, "
    "primært fordi selskabet opbyggede sikkerhedslagre under forsyningskrisen, og lagrene er endnu "
    "ikke nedbragt. Hvis halvdelen af det overskydende lager frigøres, vil det give et likviditetsbidrag "
    "på omkring 110 mio. kr., som kan bruges til at indfri den revolverende kreditfacilitet.",
    "Høringsudkastet foreslår, at alle udbydere af investeringsrådgivning skal oplyse deres gebyrer i "
    "et standardformat, før der indgås en aftale. Brancheorganisationerne støtter formålet, men "
    "mener, at skabelonen er for kompliceret for detailkunder. Tilsynet ventes at offentliggøre de "
    "endelige regler sidst på næste år med en overgangsperiode.",
    "Patienten er en 58-årig mand med kendt forhøjet blodtryk og type 2-diabetes, som henvender sig "
    "med brystsmerter af to timers varighed. EKG viste ST-elevation i de inferiore afledninger, og "
    "han blev kørt direkte til kateterisationslaboratoriet, hvor der blev anlagt en stent i højre "
    "kranspulsåre. Han blev udskrevet efter fire dage uden komplikationer.",
    "Kundeinterviewene peger på tre årsager til det seneste tab af markedsandele. Sortimentet "
    "opfattes som gammeldags, leveringstiderne er længere end hos konkurrenterne, og webshoppen er "
    "svær at bruge på en mobiltelefon. Kun få kunder nævnte prisen, hvilket tyder på, at en "
    "rabatkampagne ikke vil løse det egentlige problem.",
    "Ansættelseskontrakten indeholder en konkurrenceklausul, der gælder i tolv måneder efter "
    "fratrædelsen og dækker hele Norden. Efter gældende ret er en sådan klausul kun gyldig, hvis "
    "arbejdsgiveren betaler kompensation i perioden, og kontrakten nævner ingen kompensation. Efter "
    "vores opfattelse kan klausulen næppe håndhæves.",
    "Energiforbruget på de tre produktionsanlæg faldt med 11 % sidste år, mens produktionen var "
    "uændret. Det meste af faldet skyldtes nye kompressorer og ny belysning på det største anlæg. "
    "Selskabet vil nu halvere sine direkte udledninger inden 2030, og det kræver, at de resterende "
    "gasfyrede kedler skiftes til el eller fjernvarme.",
    "Projektet er i øjeblikket to uger bagud, hovedsageligt fordi testdata fra klienten kom for sent "
    "og var ufuldstændige. Vi har aftalt med klientens projektleder at flytte brugeraccepttesten til "
    "første uge af november. Datoen for idriftsættelse er uændret, men der er nu meget lidt luft, "
    "hvis der findes flere fejl under testen.",
    "Markedets forventninger til næste år ser for høje ud efter vores mening. Analytikerne venter, "
    "at driftsmarginen kommer tilbage på 14 %, men selskabet har allerede sagt, at lønstigningerne vil "
    "opsluge de fleste af de annoncerede prisstigninger. Vi sænker kursmålet til 245 og fastholder "
    "vores hold-anbefaling, indtil der er klarere tegn på en vending i detailforretningen.",
    "Revisionen viste, at brugerrettighederne i lønsystemet ikke var blevet gennemgået i mere end "
    "atten måneder. Flere medarbejdere, der havde skiftet stilling, havde stadig rettigheder, de ikke "
    "længere havde brug for, og to konti tilhørte personer, som var fratrådt. Ledelsen har accepteret "
    "at indføre kvartalsvise gennemgange og automatisk at lukke ubrugte konti efter 60 dage.",
    "Produktresuméet er opdateret med en ny advarsel om risikoen for alvorlige hudreaktioner. "
    "Sundhedspersonalet får et brev, der beskriver ændringen, og indlægssedlen bliver revideret ved "
    "næste oplag. Der foreslås på nuværende tidspunkt ingen ændring af indikationen eller den "
    "anbefalede dosis, men sagen tages op igen efter næste sikkerhedsopdatering.",
    "Vores undersøgelse blandt 1.200 ejere af små virksomheder viser, at de fleste stadig foretrækker "
    "at tale med en fast rådgiver i banken frem for at bruge en chatbot. Samtidig forventer yngre "
    "ejere at kunne oprette konti og søge om kredit udelukkende online. Banker, der vil betjene begge "
    "grupper, må kombinere digital selvbetjening med let adgang til en medarbejder.",
    "Lejekontrakten for hovedkontoret udløber i marts 2027, og udlejer har tilbudt en forlængelse på "
    "ti år til en leje, der ligger 18 % over det nuværende niveau. Der findes tilsvarende lokaler i "
    "samme bydel til lavere leje, men en flytning vil koste omkring 6 mio. kr. til indretning og "
    "flytning. Vi anbefaler at forhandle en kortere forlængelse med en mulighed for at opsige.",
    "Rekrutteringen af erfarne dataingeniører er fortsat den største begrænsning for programmet. "
    "Klienten har kun besat fire af de ti stillinger, der blev slået op i foråret, og to af de "
    "nyansatte er stadig i deres opsigelsesperiode. Indtil holdet er komplet, dækker eksterne "
    "konsulenter hullet, hvilket lægger omkring 600.000 kr. om måneden oven i budgettet.",
    "Bestyrelsen har bedt om en uafhængig gennemgang af opkøbsprocessen efter nedskrivningen af "
    "goodwill i fjerde kvartal. Gennemgangen skal omfatte, hvordan målvirksomheden blev fundet, "
    "kvaliteten af due diligence, hvordan synergierne blev beregnet, og hvordan integrationen blev "
    "styret. Resultater og anbefalinger skal forelægges revisionsudvalget i juni.",
    "Ifølge registerdata er femårsoverlevelsen for patienter, der diagnosticeres i et tidligt stadie, "
    "steget fra 71 % til 83 % i løbet af det seneste årti. Forbedringen er størst blandt patienter "
    "over 70, hvilket formentlig afspejler bedre adgang til screening og mindre indgribende "
    "kirurgi. Overlevelsen for patienter, der diagnosticeres sent, har næsten ikke ændret sig.",
    "Garantibestemmelserne i udkastet svarer stort set til markedspraksis, men forældelsesfristen på "
    "seks måneder for almindelige garantikrav er kort. Vi ville normalt forvente atten til "
    "fireogtyve måneder og længere frister for skat og adkomst. Bagatelgrænsen på 400.000 kr. pr. "
    "krav virker også høj for en virksomhed af denne størrelse.",
    "Efterspørgslen efter klientens konsulentydelser hænger tæt sammen med de offentlige budgetter, "
    "som bliver strammere næste år. To kommuner har allerede udskudt projekter, og en tredje har "
    "indskrænket en rammeaftale. Vi venter derfor et lille fald i omsætningen i det kommende år, før "
    "den retter sig, når udskudte digitaliseringsprojekter genstartes.",
    "Leverandørens sikkerhedscertificering dækker datacentrene, men ikke supportorganisationen, som "
    "ligger i et tredjeland og har fjernadgang til kundernes miljøer. Før kontrakten underskrives, "
    "bør klienten få en beskrivelse af, hvordan supportmedarbejderne screenes, hvordan deres adgang "
    "logges, og hvor hurtigt adgangen kan lukkes.",
    "Direktionens samlede aflønning steg med 23 % sidste år, langt mere end selskabets indtjening. "
    "Det meste af stigningen skyldtes en engangsbonus for at blive, som blev givet efter den "
    "mislykkede fusion. Flere store aktionærer har meddelt, at de vil stemme imod vederlagsrapporten "
    "på generalforsamlingen, medmindre bonussen bliver forklaret.",
    "Litteraturgennemgangen fandt 37 studier, der opfyldte inklusionskriterierne, og kun ni af dem var "
    "randomiserede kontrollerede forsøg. De fleste studier var små og havde høj risiko for bias, og "
    "opfølgningen var sjældent længere end et år. Evidensen for en langsigtet gevinst er derfor svag, "
    "og vi anbefaler, at arbejdsgruppen gør anbefalingen svag.",
    "Fragtraterne på de vigtigste ruter fra Asien til Europa er faldet tilbage til næsten samme niveau "
    "som før pandemien. For klienten betyder det, at de højere omkostninger, der er indregnet i årets "
    "budget, ikke længere er realistiske, og at bruttomarginen bør blive noget bedre end planlagt. "
    "Indkøb bør udnytte markedet til at genforhandle de kontrakter, der udløber i første kvartal.",
    "Franchiseaftalen giver franchisegiveren ret til at revidere franchisetagerens regnskaber én gang "
    "om året med ti arbejdsdages varsel. Franchisetageren skal opbevare bilag i mindst fem år og "
    "sende månedlige salgsrapporter senest den tiende i den følgende måned. For sene rapporter "
    "udløser en fast bod, og gentagne brud giver franchisegiveren ret til at ophæve aftalen.",
    "Vores model viser, at den planlagte prisstigning på 6 % vil mindske mængderne med cirka 2 %, så "
    "den samlede omsætning stiger alligevel. Risikoen er større i lavprissegmentet, hvor kunderne "
    "sammenligner priser på nettet og loyaliteten er lav. Vi foreslår at teste stigningen i to "
    "regioner i otte uger, før den indføres i hele landet.",
    "Personaleomsætningen på plejehjemmene var 34 % sidste år, og sygefraværet lå i gennemsnit på "
    "7,8 %. Fratrædelsessamtalerne peger på stor arbejdsbyrde, skæve vagter og få muligheder for "
    "faglig udvikling. Kommunen vil fra begyndelsen af næste år afprøve faste vagtplaner og en "
    "mentorordning for nyansatte på to plejehjem.",
)
